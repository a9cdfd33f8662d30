using System.Globalization;
using WeatherGinr.Training;

namespace WeatherGinr.Benchmarks.Training;

/// <summary>
/// One architecture timed in both frameworks: the network, the (node, time) pairs per step, and the
/// synthetic sample it draws from (random embedding rows and standardised targets, no missing values).
/// </summary>
public sealed record BenchmarkArchitecture(
    string Name, int Layers, int Width, GinrActivation Activation, int EmbeddingColumns, int Outputs, int BatchSize,
    int TimedSteps, int Nodes = 10242, int Times = 12)
{
    /// <summary>The paper's weather network: ReLU, 8 x 512, 34 embedding columns plus time, one variable.</summary>
    public static BenchmarkArchitecture PaperWeather { get; } =
        new("paper weather: ReLU 8x512, k 34 + time, 1 output", 8, 512, GinrActivation.Relu, 34, 1, 4096, 10);

    /// <summary>The demo preset: SIREN 6 x 256, 100 embedding columns plus time, three variables.</summary>
    public static BenchmarkArchitecture DemoPreset { get; } =
        new("demo preset: SIREN 6x256, k 100 + time, 3 outputs", 6, 256, GinrActivation.Sine, 100, 3, 4096, 15);

    public GinrArchitecture Architecture =>
        new(EmbeddingColumns, ConditioningColumns: 1, Outputs, Layers, Width, Activation);

    /// <summary>Arguments of <c>ginr_reference.py throughput</c> for the same shape.</summary>
    public IEnumerable<string> PythonArguments(int warmupSteps, int threads) =>
    [
        "throughput", "--nodes", Str(Nodes), "--times", Str(Times), "--k", Str(EmbeddingColumns),
        "--outputs", Str(Outputs), "--layers", Str(Layers), "--width", Str(Width),
        "--activation", Activation == GinrActivation.Relu ? "relu" : "sine", "--batch", Str(BatchSize),
        "--warmup", Str(warmupSteps), "--steps", Str(TimedSteps), "--threads", Str(threads),
    ];

    private static string Str(int value) => value.ToString(CultureInfo.InvariantCulture);
}
