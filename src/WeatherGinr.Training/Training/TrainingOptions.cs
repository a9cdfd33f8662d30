namespace WeatherGinr.Training;

/// <summary>
/// How <see cref="GinrTrainer"/> optimises a network: AdamW on the mean squared error of standardised
/// targets over valid values, random batches of (node, time) pairs, and a reduce-on-plateau schedule.
/// </summary>
/// <param name="MaxSteps">Optimiser steps at most.</param>
/// <param name="BatchSize">(node, time) pairs per step; every variable of a pair is supervised.</param>
/// <param name="LearningRate">
/// Initial AdamW learning rate. 3e-4 suits the default SIREN (measured: 1e-3 stalls it); the paper used
/// 1e-3 for its ReLU weather network and 1e-4 for sine networks.
/// </param>
/// <param name="WeightDecay">Decoupled AdamW weight decay (Loshchilov and Hutter 2019).</param>
/// <param name="Seed">Seeds the initial weights (torch) and the batch order (the trainer's own generator).</param>
/// <param name="TimeBudgetSeconds">
/// Stop after this much wall-clock time even before <paramref name="MaxSteps"/>; a run that stops on
/// the clock is not reproducible step for step.
/// </param>
/// <param name="PlateauPatience">
/// Loss windows without relative improvement of <paramref name="PlateauThreshold"/> before the learning
/// rate is multiplied by <paramref name="PlateauFactor"/>.
/// </param>
/// <param name="PlateauFactor">Learning-rate factor on a plateau (the paper: 0.5).</param>
/// <param name="PlateauWindowSteps">Steps whose mean batch loss is one plateau observation.</param>
/// <param name="PlateauThreshold">Relative loss improvement that counts as progress.</param>
/// <param name="MinLearningRate">Early stopping: training ends when a plateau would go below this.</param>
/// <param name="ProgressIntervalSteps">Steps between <see cref="TrainingProgress"/> reports.</param>
/// <param name="Threads">Torch intra-op threads on CPU; null uses every processor of the process.</param>
/// <param name="Device">"cpu", "cuda" or "cuda:N"; null picks CUDA where available, else CPU.</param>
/// <param name="CheckpointPath">
/// Where to write a resumable checkpoint (weights, optimiser state, normalisation, progress); null: none.
/// </param>
/// <param name="CheckpointIntervalSteps">
/// Steps between checkpoints; 0 writes one only when training ends. Ignored without a path.
/// </param>
/// <param name="LatentPenalty">
/// Auto-decoders only: lambda in <c>loss = MSE + lambda mean_batch ||z||</c>, which keeps latents small
/// (the reference's 1e-4).
/// </param>
public sealed record TrainingOptions(
    int MaxSteps = 2000,
    int BatchSize = 4096,
    double LearningRate = 3e-4,
    double WeightDecay = 0.01,
    int Seed = 1,
    double? TimeBudgetSeconds = null,
    int PlateauPatience = 4,
    double PlateauFactor = 0.5,
    int PlateauWindowSteps = 50,
    double PlateauThreshold = 1e-3,
    double MinLearningRate = 1e-6,
    int ProgressIntervalSteps = 50,
    int? Threads = null,
    string? Device = null,
    string? CheckpointPath = null,
    int CheckpointIntervalSteps = 0,
    double LatentPenalty = 1e-4)
{
    /// <summary>
    /// Called on the training thread every <see cref="ObservationIntervalSteps"/> steps with the live model;
    /// returning true stops training (stop reason "observer"). Null: no observation. The observer's time
    /// counts towards <see cref="TimeBudgetSeconds"/>; it must not dispose or keep the model. Left out of JSON
    /// (a delegate has no JSON form), so options with an observer can still be written into reports.
    /// </summary>
    [System.Text.Json.Serialization.JsonIgnore]
    public Func<TrainingObservation, bool>? Observer { get; init; }

    /// <summary>Steps between <see cref="Observer"/> calls.</summary>
    public int ObservationIntervalSteps { get; init; } = 100;

    /// <summary>Throws <see cref="ArgumentException"/> naming the first setting out of range.</summary>
    public void Validate(string? parameterName = null)
    {
        parameterName ??= "options";
        Require(MaxSteps >= 1, nameof(MaxSteps), MaxSteps, "at least 1");
        Require(BatchSize >= 1, nameof(BatchSize), BatchSize, "at least 1");
        Require(double.IsFinite(LearningRate) && LearningRate > 0, nameof(LearningRate), LearningRate, "positive");
        Require(double.IsFinite(WeightDecay) && WeightDecay >= 0, nameof(WeightDecay), WeightDecay, "0 or more");
        Require(TimeBudgetSeconds is null || TimeBudgetSeconds > 0, nameof(TimeBudgetSeconds),
            TimeBudgetSeconds!, "positive or null");
        Require(PlateauPatience >= 0, nameof(PlateauPatience), PlateauPatience, "0 or more");
        Require(PlateauFactor > 0 && PlateauFactor < 1, nameof(PlateauFactor), PlateauFactor, "in (0, 1)");
        Require(PlateauWindowSteps >= 1, nameof(PlateauWindowSteps), PlateauWindowSteps, "at least 1");
        Require(PlateauThreshold >= 0 && PlateauThreshold < 1, nameof(PlateauThreshold), PlateauThreshold,
            "in [0, 1)");
        Require(MinLearningRate >= 0 && MinLearningRate < LearningRate, nameof(MinLearningRate), MinLearningRate,
            "0 or more and below LearningRate");
        Require(ProgressIntervalSteps >= 1, nameof(ProgressIntervalSteps), ProgressIntervalSteps, "at least 1");
        Require(CheckpointIntervalSteps >= 0, nameof(CheckpointIntervalSteps), CheckpointIntervalSteps, "0 or more");
        Require(double.IsFinite(LatentPenalty) && LatentPenalty >= 0, nameof(LatentPenalty), LatentPenalty,
            "0 or more");
        Require(ObservationIntervalSteps >= 1, nameof(ObservationIntervalSteps), ObservationIntervalSteps,
            "at least 1");
        Require(Threads is null || Threads >= 1, nameof(Threads), Threads!, "at least 1 or null");

        void Require(bool condition, string setting, object value, string expected)
        {
            if (!condition)
            {
                throw new ArgumentException(
                    $"TrainingOptions.{setting} is {value ?? "null"}; it must be {expected}.", parameterName);
            }
        }
    }
}
