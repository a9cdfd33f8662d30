namespace WeatherGinr.Training;

/// <summary>
/// What <see cref="TrainingOptions.Observer"/> sees every <see cref="TrainingOptions.ObservationIntervalSteps"/>
/// steps: the live model (valid only during the call; predict with it, do not keep or dispose it) and the
/// progress so far. Lets a caller score the model in process without a checkpoint round trip.
/// </summary>
/// <param name="Model">The network being trained, with its normalisation; owned by the trainer.</param>
/// <param name="Step">Optimiser steps done (a resumed run counts the earlier steps).</param>
/// <param name="Loss">Mean standardised batch MSE over the steps since the previous observation.</param>
/// <param name="LearningRate">Current learning rate.</param>
/// <param name="ElapsedSeconds">Wall-clock seconds of this run, time spent in earlier observer calls included.</param>
public sealed record TrainingObservation(GinrModel Model, int Step, double Loss, double LearningRate,
    double ElapsedSeconds);
