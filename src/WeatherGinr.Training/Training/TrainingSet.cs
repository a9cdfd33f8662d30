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
    private readonly bool timeConditioned;

    public TrainingSet(SpatioTemporalSamples samples, FieldNormalisation normalisation, bool timeConditioned,
        Device device)
    {
        nodeCount = samples.NodeCount;
        this.timeConditioned = timeConditioned;
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
        embedding = tensor(samples.Embedding, [samples.NodeCount, samples.EmbeddingColumns]).to(device);
        normalisedTimes = tensor(times, [samples.TimeCount, 1]).to(device);
        targets = tensor(standardised, [pairCount, variables]).to(device);
        mask = anyMissing ? tensor(validity, [pairCount, variables]).to(device) : null;
        Device = device;
    }

    /// <summary>Pairs (time * nodes + node) with at least one valid variable.</summary>
    public int[] ValidPairs { get; }

    public Device Device { get; }

    /// <summary>
    /// Standardised MSE over the valid values of a batch, <c>sum(m (f(x) - z)^2) / sum(m)</c>, ready for
    /// backward. Disposal is left to the caller's dispose scope.
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

        var pairTensor = tensor(pairIndex).to(Device);
        var rows = embedding.index_select(0, tensor(nodeIndex).to(Device));
        var input = timeConditioned
            ? cat([rows, normalisedTimes.index_select(0, tensor(timeIndex).to(Device))], 1)
            : rows;

        var prediction = network.forward(input);
        var target = targets.index_select(0, pairTensor);
        if (mask is null)
        {
            return nn.functional.mse_loss(prediction, target);
        }

        var weights = mask.index_select(0, pairTensor);
        var squared = (prediction - target).square().mul_(weights);
        return squared.sum() / weights.sum().clamp_min(1);
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
