using static TorchSharp.torch;

namespace WeatherGinr.Training;

/// <summary>One run of the optimisation loop of <see cref="GinrTrainer"/>, fresh or resumed.</summary>
internal sealed class TrainingLoop(
    GinrModel model,
    SpatioTemporalSamples samples,
    TrainingOptions options,
    long validTargets,
    MeshGraph? laplacianGraph,
    IProgress<TrainingProgress>? progress,
    CancellationToken cancellationToken)
{
    public TrainingOutcome Run(ResumePoint? resumeFrom)
    {
        var clock = Stopwatch.StartNew();
        using var trainingSet = new TrainingSet(samples, model.Normalisation, model.Architecture,
            options.LatentPenalty, laplacianGraph, model.Device);
        using var optimiser = new AdamWOptimiser(model.Network.parameters(), options.LearningRate,
            options.WeightDecay);
        var schedule = new PlateauSchedule(options);
        var order = new BatchOrder(trainingSet.ValidPairs, options.BatchSize, options.Seed);
        var step = 0;
        var priorSeconds = 0.0;
        if (resumeFrom is not null)
        {
            step = Restore(resumeFrom, optimiser, schedule);
            priorSeconds = resumeFrom.State.ElapsedSeconds;
        }

        var stopReason = "max-steps";
        var pairs = new int[order.BatchSize];
        var reportLossSum = 0.0;
        var reportSteps = 0;
        var observedLossSum = 0.0;
        var observedSteps = 0;
        model.Network.train();
        while (step < options.MaxSteps)
        {
            cancellationToken.ThrowIfCancellationRequested();
            order.Fill(step, pairs);
            optimiser.LearningRate = schedule.LearningRate;
            var loss = TrainStep(model.Network, trainingSet, optimiser, pairs);
            step++;
            reportLossSum += loss;
            reportSteps++;
            observedLossSum += loss;
            observedSteps++;

            schedule.Observe(loss);
            if (step % options.ProgressIntervalSteps == 0 || step == options.MaxSteps)
            {
                progress?.Report(new TrainingProgress(step, options.MaxSteps, reportLossSum / reportSteps,
                    schedule.LearningRate, clock.Elapsed.TotalSeconds));
                reportLossSum = 0;
                reportSteps = 0;
            }

            if (options.CheckpointPath is not null && options.CheckpointIntervalSteps > 0
                && step % options.CheckpointIntervalSteps == 0 && step < options.MaxSteps)
            {
                WriteCheckpoint(optimiser, schedule, step, priorSeconds + clock.Elapsed.TotalSeconds);
            }

            if (options.Observer is { } observer && step % options.ObservationIntervalSteps == 0)
            {
                var stop = observer(new TrainingObservation(model, step, observedLossSum / observedSteps,
                    schedule.LearningRate, clock.Elapsed.TotalSeconds));
                observedLossSum = 0;
                observedSteps = 0;
                if (stop)
                {
                    stopReason = "observer";
                    break;
                }
            }

            if (schedule.StopReason(clock.Elapsed.TotalSeconds) is { } reason)
            {
                stopReason = reason;
                break;
            }
        }

        model.Network.eval();
        if (options.CheckpointPath is not null)
        {
            WriteCheckpoint(optimiser, schedule, step, priorSeconds + clock.Elapsed.TotalSeconds);
        }

        return new TrainingOutcome(model, step, CurrentWindowLoss(schedule), clock.Elapsed.TotalSeconds,
            TorchRuntime.Describe(model.Device))
        {
            StopReason = stopReason,
            FinalLearningRate = schedule.LearningRate,
        };
    }

    // forward, loss, backward, AdamW update; every temporary of the step dies with its dispose scope.
    private static double TrainStep(GinrNetwork network, TrainingSet trainingSet, AdamWOptimiser optimiser,
        ReadOnlySpan<int> pairs)
    {
        using var scope = NewDisposeScope();
        optimiser.ZeroGradients();
        var loss = trainingSet.BatchLoss(network, pairs);
        loss.backward();
        optimiser.Step();
        var value = loss.item<float>();
        if (!float.IsFinite(value))
        {
            throw new TrainingDivergedException(
                $"the training loss became {value} at step {optimiser.StepCount} at learning rate " +
                $"{optimiser.LearningRate:G3}; lower the learning rate or check the samples for extreme values");
        }

        return value;
    }

    // The loss of the window in progress when it has steps, else the last completed window's.
    private static double CurrentWindowLoss(PlateauSchedule schedule) => schedule.WindowSteps > 0
        ? schedule.WindowLossSum / schedule.WindowSteps
        : schedule.LastWindowLoss;

    private int Restore(ResumePoint resume, AdamWOptimiser optimiser, PlateauSchedule schedule)
    {
        var state = resume.State;
        optimiser.ImportMoments(resume.Moments, state.OptimiserStep);
        schedule.LearningRate = state.LearningRate;
        schedule.BestWindowLoss = state.BestWindowLoss;
        schedule.WindowsWithoutImprovement = state.WindowsWithoutImprovement;
        schedule.WindowLossSum = state.WindowLossSum;
        schedule.WindowSteps = state.WindowSteps;
        schedule.LastWindowLoss = state.LastWindowLoss;
        Debug.Assert(options.Seed == state.Seed, "checked by GinrTrainer.Resume");
        return state.Step;
    }

    private void WriteCheckpoint(AdamWOptimiser optimiser, PlateauSchedule schedule, int step, double seconds)
    {
        var (tensors, values) = model.ExportParameters();
        var moments = optimiser.ExportMoments();
        var momentTensors = tensors.Select(tensor => tensor with { Name = "adamw.m." + tensor.Name })
            .Concat(tensors.Select(tensor => tensor with { Name = "adamw.v." + tensor.Name }));
        var state = new TrainingState
        {
            Step = step,
            OptimiserStep = optimiser.StepCount,
            LearningRate = schedule.LearningRate,
            BestWindowLoss = schedule.BestWindowLoss,
            WindowsWithoutImprovement = schedule.WindowsWithoutImprovement,
            WindowLossSum = schedule.WindowLossSum,
            WindowSteps = schedule.WindowSteps,
            LastWindowLoss = schedule.LastWindowLoss,
            Seed = options.Seed,
            BatchSize = options.BatchSize,
            NodeCount = samples.NodeCount,
            Times = samples.Times,
            ValidTargetCount = validTargets,
            ElapsedSeconds = seconds,
        };

        var header = model.CreateHeader([.. tensors, .. momentTensors], state);
        GinrCheckpointFile.Write(options.CheckpointPath!, header, [.. values, .. moments]);
    }
}
