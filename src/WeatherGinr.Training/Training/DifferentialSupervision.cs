using static TorchSharp.torch;

namespace WeatherGinr.Training;

/// <summary>
/// Differential supervision on the whole graph at once: every step evaluates the network at every node,
/// applies <c>(L f)_i = deg(i) f_i - sum_(j ~ i) f_j</c> to the result, and minimises a
/// <see cref="DifferentialLoss"/> of the residual against g = L f. Unlike
/// <see cref="GinrTrainer.TrainOnLaplacian"/> (random batches of stencils, each stencil node evaluated once per
/// stencil it belongs to), each node is evaluated once per step, and the loss can be preconditioned with the
/// embedding's own eigenpairs: the pure loss weighs the part of f along eigenvector j by lambda_j^2, about
/// 4e-4 for the smoothest modes at icosphere level 4 against 81 for the roughest, so a smooth field is barely
/// seen. For one static signal on meshes whose nodes fit one forward pass (level 5, 10,242 nodes, is fine).
/// </summary>
public static class DifferentialSupervision
{
    // Own gate for torch's global generator while the network is built (as GinrTrainer does with its own).
    private static readonly Lock InitialisationGate = new();

    /// <summary>
    /// Trains a network without conditioning (<c>ConditioningColumns = 0</c>, one output) whose graph Laplacian
    /// matches <paramref name="laplacianSamples"/>' single step of targets. <c>options.BatchSize</c> is not used:
    /// every step sees every node. The model predicts f up to a constant (its mean is arbitrary).
    /// </summary>
    /// <param name="laplacianSamples">Embedding (the first columns of the eigenbasis) and g = L f, one time step,
    /// one variable, a value at every node.</param>
    /// <param name="eigenvalues">Eigenvalue of every embedding column, ascending (for the preconditioner).</param>
    /// <param name="graph">The mesh whose Laplacian gave g.</param>
    /// <param name="architecture">The network's shape.</param>
    /// <param name="options">Steps, learning rate, schedule, seed, device.</param>
    /// <param name="loss">Pure, preconditioned, with or without value anchors.</param>
    /// <param name="progress">Periodic reports.</param>
    /// <param name="cancellationToken">Stops training with <see cref="OperationCanceledException"/>.</param>
    /// <exception cref="ArgumentException">Inputs are inconsistent; checked before any step.</exception>
    public static TrainingOutcome Train(
        SpatioTemporalSamples laplacianSamples,
        IReadOnlyList<double> eigenvalues,
        MeshGraph graph,
        GinrArchitecture architecture,
        TrainingOptions options,
        DifferentialLoss loss,
        IProgress<TrainingProgress>? progress = null,
        CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(laplacianSamples);
        ArgumentNullException.ThrowIfNull(eigenvalues);
        ArgumentNullException.ThrowIfNull(graph);
        ArgumentNullException.ThrowIfNull(architecture);
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(loss);
        CheckInputs(laplacianSamples, eigenvalues, graph, architecture, options, loss);

        TorchRuntime.UseThreads(options.Threads);
        var device = TorchRuntime.SelectDevice(options.Device);
        var normalisation = FieldNormalisation.FromTargets(laplacianSamples.Targets, 1, laplacianSamples.Times[0],
            laplacianSamples.Times[0], centred: false);
        GinrNetwork network;
        lock (InitialisationGate)
        {
            random.manual_seed(options.Seed);
            network = new GinrNetwork(architecture, device);
        }

        var model = new GinrModel(architecture, laplacianSamples.VariableNames, normalisation, network, device,
            laplacianSamples.EmbeddingIdentity);
        try
        {
            return Run(model, laplacianSamples, eigenvalues, graph, options, loss, progress, cancellationToken);
        }
        catch
        {
            model.Dispose();
            throw;
        }
    }

    private static TrainingOutcome Run(GinrModel model, SpatioTemporalSamples samples,
        IReadOnlyList<double> eigenvalues, MeshGraph graph, TrainingOptions options, DifferentialLoss loss,
        IProgress<TrainingProgress>? progress, CancellationToken cancellationToken)
    {
        var clock = Stopwatch.StartNew();
        using var problem = new FullGraphProblem(samples, eigenvalues, graph, model.Normalisation, loss, model.Device);
        using var optimiser = new AdamWOptimiser(model.Network.parameters(), options.LearningRate,
            options.WeightDecay);
        var schedule = new PlateauSchedule(options);
        var stopReason = "max-steps";
        var step = 0;
        var reportLossSum = 0.0;
        model.Network.train();
        while (step < options.MaxSteps)
        {
            cancellationToken.ThrowIfCancellationRequested();
            optimiser.LearningRate = schedule.LearningRate;
            var value = Step(model.Network, problem, optimiser);
            step++;
            reportLossSum += value;
            schedule.Observe(value);
            if (step % options.ProgressIntervalSteps == 0 || step == options.MaxSteps)
            {
                var steps = step % options.ProgressIntervalSteps == 0 ? options.ProgressIntervalSteps
                    : step % options.ProgressIntervalSteps;
                progress?.Report(new TrainingProgress(step, options.MaxSteps, reportLossSum / steps,
                    schedule.LearningRate, clock.Elapsed.TotalSeconds));
                reportLossSum = 0;
            }

            if (schedule.StopReason(clock.Elapsed.TotalSeconds) is { } reason)
            {
                stopReason = reason;
                break;
            }
        }

        model.Network.eval();
        var finalLoss = schedule.WindowSteps > 0 ? schedule.WindowLossSum / schedule.WindowSteps
            : schedule.LastWindowLoss;
        return new TrainingOutcome(model, step, finalLoss, clock.Elapsed.TotalSeconds,
            TorchRuntime.Describe(model.Device))
        {
            StopReason = stopReason,
            FinalLearningRate = schedule.LearningRate,
        };
    }

    private static double Step(GinrNetwork network, FullGraphProblem problem, AdamWOptimiser optimiser)
    {
        using var scope = NewDisposeScope();
        optimiser.ZeroGradients();
        var loss = problem.Loss(network);
        loss.backward();
        optimiser.Step();
        var value = loss.item<float>();
        if (!float.IsFinite(value))
        {
            throw new TrainingDivergedException(
                $"the differential loss became {value} at step {optimiser.StepCount} at learning rate " +
                $"{optimiser.LearningRate:G3}; lower the learning rate");
        }

        return value;
    }

    private static void CheckInputs(SpatioTemporalSamples samples, IReadOnlyList<double> eigenvalues,
        MeshGraph graph, GinrArchitecture architecture, TrainingOptions options, DifferentialLoss loss)
    {
        architecture.Validate(nameof(architecture));
        options.Validate(nameof(options));
        samples.Validate(nameof(samples));
        graph.Validate(nameof(graph));
        loss.Validate(samples.NodeCount, samples.EmbeddingColumns, nameof(loss));
        if (samples.TimeCount != 1 || samples.VariableCount != 1)
        {
            throw new ArgumentException(
                $"samples has {samples.TimeCount} time steps and {samples.VariableCount} variables; full-graph " +
                "differential supervision fits one static signal (1 and 1).", nameof(samples));
        }

        if (architecture.EmbeddingColumns != samples.EmbeddingColumns || architecture.Outputs != 1
            || architecture.ConditioningColumns != 0 || architecture.HasLatents)
        {
            throw new ArgumentException(
                $"architecture is {architecture}; it must read the samples' {samples.EmbeddingColumns} embedding " +
                "columns with no conditioning and have one output.", nameof(architecture));
        }

        if (graph.NodeCount != samples.NodeCount)
        {
            throw new ArgumentException(
                $"graph has {graph.NodeCount} nodes but the samples have {samples.NodeCount}.", nameof(graph));
        }

        if (samples.Targets.Any(float.IsNaN))
        {
            throw new ArgumentException(
                "samples has missing (NaN) Laplacian values; full-graph supervision needs L f at every node.",
                nameof(samples));
        }

        if (eigenvalues.Count != samples.EmbeddingColumns)
        {
            throw new ArgumentException(
                $"eigenvalues has {eigenvalues.Count} entries for {samples.EmbeddingColumns} embedding columns.",
                nameof(eigenvalues));
        }

        for (var column = 0; column < eigenvalues.Count; column++)
        {
            var lambda = eigenvalues[column];
            if (!double.IsFinite(lambda) || lambda < -1e-9 || (column > 0 && lambda < eigenvalues[column - 1] - 1e-9))
            {
                throw new ArgumentException(
                    $"eigenvalue {column} is {lambda}; a graph Laplacian's eigenvalues are finite, non-negative " +
                    "and ascending.", nameof(eigenvalues));
            }
        }
    }

    /// <summary>The tensors of one problem, resident on the device for the whole run.</summary>
    private sealed class FullGraphProblem : IDisposable
    {
        private readonly Tensor embedding;
        private readonly Tensor target;
        private readonly Tensor stencilNodes;
        private readonly Tensor stencilWeights;
        private readonly Tensor? basis;
        private readonly Tensor? modeWeights;
        private readonly Tensor? anchorNodes;
        private readonly Tensor? anchorTargets;
        private readonly int nodeCount;
        private readonly int width;
        private readonly double anchorWeight;

        public FullGraphProblem(SpatioTemporalSamples samples, IReadOnlyList<double> eigenvalues, MeshGraph graph,
            FieldNormalisation normalisation, DifferentialLoss loss, Device device)
        {
            nodeCount = samples.NodeCount;
            var k = samples.EmbeddingColumns;
            var scale = normalisation.StandardDeviations[0];
            embedding = tensor(samples.Embedding, [nodeCount, k], device: device);
            target = tensor(samples.Targets.Select(g => (float)(g / scale)).ToArray(), [nodeCount, 1],
                device: device);

            var stencil = new LaplacianStencil(graph);
            width = stencil.Width;
            var (nodes, _, weights) = stencil.Expand(
                Enumerable.Range(0, nodeCount).Select(i => (long)i).ToArray(), new long[nodeCount]);
            stencilNodes = tensor(nodes, device: device);
            stencilWeights = tensor(weights, [nodeCount, width], device: device);

            // P = I + sum_(0 < j < m) (w_j - 1) u_j u_j^T with w_j = lambda_(m-1) / lambda_j, so
            // ||P r||^2 = ||r||^2 + sum_j (w_j^2 - 1) (u_j^T r)^2 (the u_j are orthonormal). The embedding holds
            // sqrt(n) u_j; the null space (lambda ~ 0, the constant) is left alone: L f has no part there.
            var m = loss.PreconditionedModes;
            if (m > 1)
            {
                var top = eigenvalues[m - 1];
                var extra = new float[m];
                for (var j = 0; j < m; j++)
                {
                    extra[j] = eigenvalues[j] > 1e-6 * top ? (float)(Math.Pow(top / eigenvalues[j], 2) - 1) : 0f;
                }

                using var columns = embedding.narrow(1, 0, m);
                basis = columns.div(Math.Sqrt(nodeCount));
                modeWeights = tensor(extra, [m, 1], device: device);
            }

            if (loss.AnchorCount > 0)
            {
                var values = loss.AnchorValues!;
                var mean = values.Average(v => (double)v);
                anchorNodes = tensor(loss.AnchorNodes!.Select(i => (long)i).ToArray(), device: device);
                anchorTargets = tensor(values.Select(v => (float)((v - mean) / scale)).ToArray(),
                    [values.Count, 1], device: device);
                anchorWeight = loss.AnchorWeight;
            }
        }

        /// <summary>The loss of the network on the whole graph, ready for backward.</summary>
        public Tensor Loss(GinrNetwork network)
        {
            var f = network.forward(embedding);
            var laplacian = f.index_select(0, stencilNodes).view(nodeCount, width).mul(stencilWeights)
                .sum(1, keepdim: true);
            var residual = laplacian - target;
            var sum = residual.square().sum();
            if (basis is not null)
            {
                var coefficients = basis.t().matmul(residual);
                sum = sum + coefficients.square().mul(modeWeights!).sum();
            }

            var value = sum / nodeCount;
            if (anchorNodes is not null)
            {
                var atAnchors = f.index_select(0, anchorNodes);
                var centred = atAnchors - atAnchors.mean();
                value = value + ((centred - anchorTargets!).square().mean() * anchorWeight);
            }

            return value;
        }

        public void Dispose()
        {
            embedding.Dispose();
            target.Dispose();
            stencilNodes.Dispose();
            stencilWeights.Dispose();
            basis?.Dispose();
            modeWeights?.Dispose();
            anchorNodes?.Dispose();
            anchorTargets?.Dispose();
        }
    }
}
