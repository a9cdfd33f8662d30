using static TorchSharp.torch;

namespace WeatherGinr.Training;

/// <summary>
/// Trains a <see cref="GinrModel"/> on spatio-temporal samples: AdamW on the standardised MSE over valid
/// values, random batches of (node, time) pairs, reduce-on-plateau with early stopping. Synchronous and
/// CPU-bound: call it from <c>Task.Run</c>; no TorchSharp dispose scope outlives one step.
/// </summary>
public static class GinrTrainer
{
    // torch's global generator seeds the initial weights; building two networks at once from two threads
    // would interleave its draws and break determinism.
    private static readonly Lock InitialisationGate = new();

    /// <summary>Trains a new network. Every argument is checked before any training starts.</summary>
    /// <exception cref="ArgumentException">Samples, architecture or options are inconsistent.</exception>
    /// <exception cref="OperationCanceledException">Cancelled; the partial model is disposed.</exception>
    public static TrainingOutcome Train(
        SpatioTemporalSamples samples,
        GinrArchitecture architecture,
        TrainingOptions options,
        IProgress<TrainingProgress>? progress = null,
        CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(samples);
        ArgumentNullException.ThrowIfNull(architecture);
        ArgumentNullException.ThrowIfNull(options);
        var validTargets = CheckInputs(samples, architecture, options);

        TorchRuntime.UseThreads(options.Threads);
        var device = TorchRuntime.SelectDevice(options.Device);
        var normalisation = FieldNormalisation.FromTargets(
            samples.Targets, samples.VariableCount, samples.Times[0], samples.Times[^1]);

        var network = CreateNetwork(architecture, options.Seed, device);
        var model = new GinrModel(architecture, samples.VariableNames, normalisation, network, device,
            samples.EmbeddingIdentity);
        return RunGuarded(model, samples, options, validTargets, resumeFrom: null, graph: null, progress,
            cancellationToken);
    }

    /// <summary>
    /// Differential supervision (the paper's section 4): trains the network's output f so that the graph
    /// Laplacian of f matches the targets, <c>min || L f - g ||^2</c> over valid values, where
    /// <paramref name="laplacianSamples"/> hold g = L f_true. The model then predicts f up to the Laplacian's
    /// null space (a constant per connected component): its mean is zero, not the true signal's.
    /// </summary>
    /// <param name="laplacianSamples">Embedding, times and the Laplacian of the signal.</param>
    /// <param name="graph">The mesh whose Laplacian L = D - A was applied; the same nodes as the samples.</param>
    /// <param name="architecture">The network's shape.</param>
    /// <param name="options">Optimisation settings.</param>
    /// <param name="progress">Periodic reports.</param>
    /// <param name="cancellationToken">Stops training with <see cref="OperationCanceledException"/>.</param>
    public static TrainingOutcome TrainOnLaplacian(
        SpatioTemporalSamples laplacianSamples,
        MeshGraph graph,
        GinrArchitecture architecture,
        TrainingOptions options,
        IProgress<TrainingProgress>? progress = null,
        CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(laplacianSamples);
        ArgumentNullException.ThrowIfNull(graph);
        ArgumentNullException.ThrowIfNull(architecture);
        ArgumentNullException.ThrowIfNull(options);
        var validTargets = CheckInputs(laplacianSamples, architecture, options);
        graph.Validate(nameof(graph));
        if (graph.NodeCount != laplacianSamples.NodeCount)
        {
            throw new ArgumentException(
                $"graph has {graph.NodeCount} nodes but the samples have {laplacianSamples.NodeCount}.", nameof(graph));
        }

        TorchRuntime.UseThreads(options.Threads);
        var device = TorchRuntime.SelectDevice(options.Device);
        var normalisation = FieldNormalisation.FromTargets(laplacianSamples.Targets, laplacianSamples.VariableCount,
            laplacianSamples.Times[0], laplacianSamples.Times[^1], centred: false);
        var model = new GinrModel(architecture, laplacianSamples.VariableNames, normalisation,
            CreateNetwork(architecture, options.Seed, device), device, laplacianSamples.EmbeddingIdentity);
        return RunGuarded(model, laplacianSamples, options, validTargets, resumeFrom: null, graph, progress,
            cancellationToken);
    }

    /// <summary>
    /// Continues a run from a checkpoint written with <see cref="TrainingOptions.CheckpointPath"/>, on the same
    /// samples and architecture, to <see cref="TrainingOptions.MaxSteps"/> steps in total. With the same seed
    /// and batch size the result equals that of an uninterrupted run, bit for bit on CPU.
    /// </summary>
    /// <exception cref="InvalidOperationException">
    /// The checkpoint holds no training state, or belongs to another model shape or other samples.
    /// </exception>
    public static TrainingOutcome Resume(
        SpatioTemporalSamples samples,
        GinrArchitecture architecture,
        string checkpointPath,
        TrainingOptions options,
        IProgress<TrainingProgress>? progress = null,
        CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(samples);
        ArgumentNullException.ThrowIfNull(architecture);
        ArgumentException.ThrowIfNullOrWhiteSpace(checkpointPath);
        ArgumentNullException.ThrowIfNull(options);
        var validTargets = CheckInputs(samples, architecture, options);

        var (header, tensors) = GinrCheckpointFile.Read(checkpointPath);
        if (header.Architecture != architecture)
        {
            throw new InvalidOperationException(
                $"Checkpoint '{checkpointPath}' belongs to another model shape: it holds {header.Architecture}, " +
                $"the run asks for {architecture}. Resume with the architecture it was written with.");
        }

        var state = header.Training ?? throw new InvalidOperationException(
            $"Checkpoint '{checkpointPath}' is a saved model without training state; resume needs a checkpoint " +
            "written during training (TrainingOptions.CheckpointPath).");
        CheckResumable(samples, options, header, state, checkpointPath);
        if (validTargets != state.ValidTargetCount)
        {
            throw new InvalidOperationException(
                $"samples has {validTargets} valid targets but checkpoint '{checkpointPath}' was trained on " +
                $"{state.ValidTargetCount}; resume needs the same samples (same held-out values).");
        }

        TorchRuntime.UseThreads(options.Threads);
        var device = TorchRuntime.SelectDevice(options.Device);
        var parameterCount = header.Tensors.Count / 3;
        var model = GinrModel.FromCheckpoint(header, tensors[..parameterCount], device, checkpointPath);
        var resume = new ResumePoint(state, tensors[parameterCount..]);
        return RunGuarded(model, samples, options, validTargets, resume, graph: null, progress, cancellationToken);
    }

    private static GinrNetwork CreateNetwork(GinrArchitecture architecture, int seed, Device device)
    {
        lock (InitialisationGate)
        {
            random.manual_seed(seed);
            return new GinrNetwork(architecture, device);
        }
    }

    private static TrainingOutcome RunGuarded(
        GinrModel model,
        SpatioTemporalSamples samples,
        TrainingOptions options,
        long validTargets,
        ResumePoint? resumeFrom,
        MeshGraph? graph,
        IProgress<TrainingProgress>? progress,
        CancellationToken cancellationToken)
    {
        try
        {
            return new TrainingLoop(model, samples, options, validTargets, graph, progress, cancellationToken)
                .Run(resumeFrom);
        }
        catch
        {
            model.Dispose();
            throw;
        }
    }

    private static long CheckInputs(SpatioTemporalSamples samples, GinrArchitecture architecture,
        TrainingOptions options)
    {
        architecture.Validate(nameof(architecture));
        options.Validate(nameof(options));
        var validTargets = samples.Validate(nameof(samples));

        if (architecture.EmbeddingColumns != samples.EmbeddingColumns)
        {
            throw new ArgumentException(
                $"architecture.EmbeddingColumns is {architecture.EmbeddingColumns} but samples.EmbeddingColumns " +
                $"is {samples.EmbeddingColumns}; build the architecture for the embedding it will read.",
                nameof(architecture));
        }

        if (architecture.Outputs != samples.VariableCount)
        {
            throw new ArgumentException(
                $"architecture.Outputs is {architecture.Outputs} but samples has {samples.VariableCount} variables " +
                $"({string.Join(", ", samples.VariableNames)}); give one output per variable.",
                nameof(architecture));
        }

        if (architecture.HasLatents)
        {
            if (architecture.LatentSignals != samples.TimeCount)
            {
                throw new ArgumentException(
                    $"architecture.LatentSignals is {architecture.LatentSignals} but samples has {samples.TimeCount} " +
                    "signals (the Times axis of an auto-decoder's samples holds one entry per signal).",
                    nameof(architecture));
            }

            return validTargets;
        }

        if (architecture.ConditioningColumns is not (0 or 1))
        {
            throw new ArgumentException(
                $"architecture.ConditioningColumns is {architecture.ConditioningColumns}; spatio-temporal training " +
                "conditions on time (1 column) or on nothing for a single time step (0).", nameof(architecture));
        }

        if (architecture.ConditioningColumns == 0 && samples.TimeCount != 1)
        {
            throw new ArgumentException(
                $"architecture.ConditioningColumns is 0 (no time input) but samples has {samples.TimeCount} time " +
                "steps; use 1 conditioning column for time.", nameof(architecture));
        }

        return validTargets;
    }

    private static void CheckResumable(SpatioTemporalSamples samples, TrainingOptions options,
        CheckpointHeader header, TrainingState state, string path)
    {
        void Require(bool condition, string what)
        {
            if (!condition)
            {
                throw new InvalidOperationException(
                    $"Checkpoint '{path}' cannot be resumed: {what}. Resume with the samples and options it was " +
                    "written with, or train afresh.");
            }
        }

        Require(header.Tensors.Count % 3 == 0, "it does not hold optimiser moments for every parameter");
        Require(state.NodeCount == samples.NodeCount,
            $"it was trained on {state.NodeCount} nodes, the samples have {samples.NodeCount}");
        Require(header.VariableNames.SequenceEqual(samples.VariableNames),
            $"its variables are {string.Join(", ", header.VariableNames)}, the samples' are " +
            string.Join(", ", samples.VariableNames));
        Require(state.Times.AsSpan().SequenceEqual(samples.Times), "the samples' times differ");
        Require(header.EmbeddingIdentity is null || samples.EmbeddingIdentity is null
            || header.EmbeddingIdentity == samples.EmbeddingIdentity,
            $"it was trained on embedding '{header.EmbeddingIdentity}', the samples carry " +
            $"'{samples.EmbeddingIdentity}'");
        Require(state.Seed == options.Seed, $"it was trained with seed {state.Seed}, options.Seed is {options.Seed}");
        Require(state.BatchSize == options.BatchSize,
            $"it was trained with batch size {state.BatchSize}, options.BatchSize is {options.BatchSize}");
        Require(state.Step <= options.MaxSteps,
            $"it is at step {state.Step}, beyond options.MaxSteps = {options.MaxSteps}");
    }
}

/// <summary>Where a resumed run starts: the saved progress and the optimiser moments.</summary>
internal sealed record ResumePoint(TrainingState State, float[][] Moments);
