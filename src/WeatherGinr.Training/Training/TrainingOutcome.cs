namespace WeatherGinr.Training;

/// <summary>The result of <see cref="GinrTrainer.Train"/>; the caller owns and disposes <see cref="Model"/>.</summary>
/// <param name="Model">The trained network with its normalisation.</param>
/// <param name="Steps">Optimiser steps done in total (a resumed run counts the earlier steps).</param>
/// <param name="FinalLoss">Mean standardised MSE over the last plateau window.</param>
/// <param name="ElapsedSeconds">Wall-clock seconds of this run.</param>
/// <param name="Device">Where it trained, as <see cref="TorchRuntime.DescribeDevice"/> words it.</param>
public sealed record TrainingOutcome(GinrModel Model, int Steps, double FinalLoss, double ElapsedSeconds, string Device)
{
    /// <summary>
    /// Why training ended: "max-steps", "time-budget", "early-stopping", or "observer" (the observer asked to
    /// stop); cancellation throws.
    /// </summary>
    public string StopReason { get; init; } = "max-steps";

    /// <summary>Learning rate when training ended.</summary>
    public double FinalLearningRate { get; init; }
}
