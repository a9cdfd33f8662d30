using System.Globalization;
using WeatherGinr.Training;

namespace WeatherGinr.Cli.Experiments;

/// <summary>
/// The network and optimisation of one experiment's fits: a SIREN (w0 = 30) or ReLU network of
/// <c>Layers</c> x <c>Width</c> with the paper's input skip, AdamW at <c>LearningRate</c>, <c>Steps</c>
/// batches of <c>BatchSize</c> nodes, the plateau schedule halving the rate after two 50-step windows
/// without progress.
/// </summary>
public sealed record FitSettings(
    int Layers,
    int Width,
    double LearningRate,
    int Steps,
    int BatchSize,
    int Seed = 1,
    GinrActivation Activation = GinrActivation.Sine)
{
    public GinrArchitecture Architecture(int embeddingColumns, int conditioningColumns = 0, int latentSignals = 0) =>
        new(embeddingColumns, conditioningColumns, Outputs: 1, Layers, Width, Activation,
            LatentSignals: latentSignals);

    public TrainingOptions Options => new(MaxSteps: Steps, BatchSize: BatchSize, LearningRate: LearningRate,
        Seed: Seed, PlateauPatience: 2, PlateauWindowSteps: 50, MinLearningRate: LearningRate / 1000,
        ProgressIntervalSteps: Math.Max(1, Steps / 10));

    /// <summary>"SIREN 6x256" or "ReLU 6x256".</summary>
    public string Network => $"{(Activation == GinrActivation.Sine ? "SIREN" : "ReLU")} {Layers}x{Width}";

    public override string ToString() => string.Create(CultureInfo.InvariantCulture,
        $"{Network}, lr {LearningRate:G3}, {Steps} steps of {BatchSize} nodes, seed {Seed}");
}
