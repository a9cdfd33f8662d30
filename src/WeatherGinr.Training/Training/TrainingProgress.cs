namespace WeatherGinr.Training;

/// <summary>A periodic report from <see cref="GinrTrainer.Train"/>.</summary>
/// <param name="Step">Optimiser steps done.</param>
/// <param name="MaxSteps">Steps planned.</param>
/// <param name="Loss">Mean standardised MSE over the steps since the previous report.</param>
/// <param name="LearningRate">Current learning rate.</param>
/// <param name="ElapsedSeconds">Wall-clock seconds since training started (this run).</param>
public sealed record TrainingProgress(int Step, int MaxSteps, double Loss, double LearningRate, double ElapsedSeconds);
