using System.Globalization;
using WeatherGinr.Training;

namespace WeatherGinr.Benchmarks.Training;

/// <summary>
/// The product's configuration in the time-to-R² race: the network, the embedding columns it reads (the
/// reference always reads 34) and the optimisation settings. <see cref="Chosen"/> is the choice argued in
/// docs/training.md; every setting can be overridden from the command line for exploration.
/// </summary>
public sealed record TimeToRSquaredCandidate(GinrArchitecture Architecture, TrainingOptions Options)
{
    /// <summary>
    /// The chosen candidate (docs/training.md, "Benchmark"): ReLU 4 x 128, 100 columns plus time, lr 2e-3,
    /// 2048 (node, time) pairs per step, plateau halving on 50-step windows.
    /// </summary>
    public static TimeToRSquaredCandidate Chosen { get; } = new(
        new GinrArchitecture(100, ConditioningColumns: 1, Outputs: 1, Layers: 4, Width: 128,
            Activation: GinrActivation.Relu),
        new TrainingOptions(MaxSteps: 10_000_000, BatchSize: 2048, LearningRate: 2e-3, PlateauPatience: 4,
            ProgressIntervalSteps: 1000));

    /// <summary>
    /// <see cref="Chosen"/> with the settings given on the command line: --columns, --layers, --width,
    /// --activation relu|sine, --omega0, --lr, --batch, --patience, --window, --seed.
    /// </summary>
    public static TimeToRSquaredCandidate FromArguments(Arguments settings)
    {
        var (architecture, options) = (Chosen.Architecture, Chosen.Options);
        architecture = architecture with
        {
            EmbeddingColumns = settings.Int("--columns", architecture.EmbeddingColumns),
            Layers = settings.Int("--layers", architecture.Layers),
            Width = settings.Int("--width", architecture.Width),
            Activation = settings.Text("--activation") switch
            {
                null => architecture.Activation,
                "relu" => GinrActivation.Relu,
                "sine" => GinrActivation.Sine,
                var other => throw new ArgumentException($"--activation {other}: choose relu or sine"),
            },
            Omega0 = settings.Double("--omega0", architecture.Omega0),
        };
        options = options with
        {
            LearningRate = settings.Double("--lr", options.LearningRate),
            BatchSize = settings.Int("--batch", options.BatchSize),
            PlateauPatience = settings.Int("--patience", options.PlateauPatience),
            PlateauWindowSteps = settings.Int("--window", options.PlateauWindowSteps),
            Seed = settings.Int("--seed", options.Seed),
        };
        return new TimeToRSquaredCandidate(architecture, options);
    }

    public override string ToString()
    {
        var a = Architecture;
        var o = Options;
        var activation = a.Activation == GinrActivation.Relu
            ? "ReLU"
            : string.Create(CultureInfo.InvariantCulture, $"SIREN w0 {a.Omega0:G}");
        return string.Create(CultureInfo.InvariantCulture,
            $"{activation} {a.Layers}x{a.Width}, {a.EmbeddingColumns} columns + time, lr {o.LearningRate:G}, " +
            $"batch {o.BatchSize}, plateau x{o.PlateauFactor:G} after {o.PlateauPatience + 1} windows of " +
            $"{o.PlateauWindowSteps} steps");
    }
}
