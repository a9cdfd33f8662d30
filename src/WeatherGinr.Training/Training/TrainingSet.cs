using static TorchSharp.torch;

namespace WeatherGinr.Training;

/// <summary>
/// The samples as the network sees them, resident on the training device: the embedding [n, k], the
/// normalised time of every step [T, 1], standardised targets [T * n, V] with NaN replaced by 0, and, when
/// anything is missing, a validity mask of the same shape. Batches are gathered from these by index, so
/// the (T * n) x (k + 1) input matrix is never materialised.
/// </summary>
internal sealed class TrainingSet : IDisposable
{
    private readonly Tensor embedding;
    private readonly Tensor normalisedTimes;
    private readonly Tensor targets;
    private readonly Tensor? mask;
    private readonly int nodeCount;
    private readonly int conditioningColumns;
    private readonly double latentPenalty;
    private readonly LaplacianStencil? stencil;

    /// <param name="samples">The samples (for differential supervision their targets are L f).</param>
    /// <param name="normalisation">How targets are standardised.</param>
    /// <param name="architecture">The network's shape.</param>
    /// <param name="latentPenalty">lambda of the latent norm penalty.</param>
    /// <param name="graph">When given, the loss compares L applied to the network's output with the targets.</param>
    /// <param name="device">Where the tensors live.</param>
    public TrainingSet(SpatioTemporalSamples samples, FieldNormalisation normalisation, GinrArchitecture architecture,
        double latentPenalty, MeshGraph? graph, Device device)
    {
        nodeCount = samples.NodeCount;
        conditioningColumns = architecture.ConditioningColumns;
        this.latentPenalty = latentPenalty;
        stencil = graph is null ? null : new LaplacianStencil(graph);
        var pairCount = (long)samples.TimeCount * samples.NodeCount;
        if (pairCount > int.MaxValue)
        {
            throw new ArgumentException(
                $"samples has {pairCount} (time, node) pairs; at most {int.MaxValue} fit one training set. " +
                "Train on a shorter time window.", nameof(samples));
        }

        var variables = samples.VariableCount;
        var (standardised, validity, validPairs, anyMissing) = Standardise(samples, normalisation);
        ValidPairs = validPairs;

        var times = samples.Times.Select(time => (float)normalisation.NormaliseTime(time)).ToArray();
        embedding = tensor(samples.Embedding, [samples.NodeCount, samples.EmbeddingColumns], device: device);
        normalisedTimes = tensor(times, [samples.TimeCount, 1], device: device);
        targets = tensor(standardised, [pairCount, variables], device: device);
        mask = anyMissing ? tensor(validity, [pairCount, variables], device: device) : null;
        Device = device;
    }

    /// <summary>Pairs (time * nodes + node) with at least one valid variable.</summary>
    public int[] ValidPairs { get; }

    public Device Device { get; }

    /// <summary>
    /// Standardised MSE over the valid values of a batch, <c>sum(m (f(x) - z)^2) / sum(m)</c>, plus the latent
    /// penalty of an auto-decoder; ready for backward. Disposal is left to the caller's dispose scope.
    /// </summary>
    public Tensor BatchLoss(GinrNetwork network, ReadOnlySpan<int> pairs)
    {
        var pairIndex = new long[pairs.Length];
        var nodeIndex = new long[pairs.Length];
        var timeIndex = new long[pairs.Length];
        for (var index = 0; index < pairs.Length; index++)
        {
            pairIndex[index] = pairs[index];
            nodeIndex[index] = pairs[index] % nodeCount;
            timeIndex[index] = pairs[index] / nodeCount;
        }

        Tensor prediction;
        Tensor? latents;
        if (stencil is null)
        {
            (var input, latents) = NetworkInput(network, nodeIndex, timeIndex);
            prediction = network.forward(input);
        }
        else
        {
            // Differential supervision: evaluate f at every node of each pair's stencil (the node and its
            // neighbours, at the pair's time) and combine, (L f)_i = deg(i) f_i - sum_{j ~ i} f_j.
            var (stencilNodes, stencilTimes, weights) = stencil.Expand(nodeIndex, timeIndex);
            (var input, latents) = NetworkInput(network, stencilNodes, stencilTimes);
            var values = network.forward(input).view(pairs.Length, stencil.Width, -1);
            var weightTensor = tensor(weights, [pairs.Length, stencil.Width, 1], device: Device);
            prediction = values.mul(weightTensor).sum(1);
        }

        var pairTensor = tensor(pairIndex, device: Device);
        var target = targets.index_select(0, pairTensor);
        Tensor loss;
        if (mask is null)
        {
            loss = nn.functional.mse_loss(prediction, target);
        }
        else
        {
            var validity = mask.index_select(0, pairTensor);
            var squared = (prediction - target).square().mul_(validity);
            loss = squared.sum() / validity.sum().clamp_min(1);
        }

        // Auto-decoder regularisation (the reference's latent_size_reg): lambda * mean ||z_i|| over the batch.
        return latents is null || latentPenalty == 0
            ? loss
            : loss + (latents.square().sum(1).sqrt().mean() * latentPenalty);
    }

    // Rows [e_node, conditioning]: the normalised time, the signal's latent vector, or nothing.
    private (Tensor Input, Tensor? Latents) NetworkInput(GinrNetwork network, long[] nodeIndex, long[] timeIndex)
    {
        var rows = embedding.index_select(0, tensor(nodeIndex, device: Device));
        if (network.Latents is { } table)
        {
            // Auto-decoder: the "time" axis of the samples is the signal axis.
            var latents = table.index_select(0, tensor(timeIndex, device: Device));
            return (cat([rows, latents], 1), latents);
        }

        return conditioningColumns == 1
            ? (cat([rows, normalisedTimes.index_select(0, tensor(timeIndex, device: Device))], 1), null)
            : (rows, null);
    }

    public void Dispose()
    {
        embedding.Dispose();
        normalisedTimes.Dispose();
        targets.Dispose();
        mask?.Dispose();
    }

    // z = (y - mean) / std for valid values; 0 (and mask 0) where y is NaN.
    private static (float[] Standardised, float[] Validity, int[] ValidPairs, bool AnyMissing) Standardise(
        SpatioTemporalSamples samples, FieldNormalisation normalisation)
    {
        var variables = samples.VariableCount;
        var pairCount = samples.TimeCount * samples.NodeCount;
        var standardised = new float[(long)pairCount * variables];
        var validity = new float[standardised.Length];
        var validPairs = new List<int>(pairCount);
        var anyMissing = false;

        for (var pair = 0; pair < pairCount; pair++)
        {
            var anyValid = false;
            for (var variable = 0; variable < variables; variable++)
            {
                var index = ((long)pair * variables) + variable;
                var value = samples.Targets[index];
                if (float.IsNaN(value))
                {
                    anyMissing = true;
                    continue;
                }

                standardised[index] = (float)((value - normalisation.Means[variable])
                    / normalisation.StandardDeviations[variable]);
                validity[index] = 1f;
                anyValid = true;
            }

            if (anyValid)
            {
                validPairs.Add(pair);
            }
        }

        return (standardised, validity, validPairs.ToArray(), anyMissing);
    }
}
