using System.Globalization;
using System.Text.Json;
using WeatherGinr.Benchmarks.Training;

// weatherginr training benchmark (benchmarks/run-training-benchmark.sh):
//   [--rounds N] [--threads P] [--warmup S] [--steps S] [--architecture paper|demo|both] [--json FILE]
//   --time-to-r2 --input TAS.nc [--data DIR] [--budget SECONDS] [--eval-seconds SECONDS]   (optional, ~1 hour)
var settings = Arguments.Parse(args);
var threads = settings.Int("--threads", Environment.ProcessorCount);
var log = Console.Out;

if (settings.Flag("--time-to-r2"))
{
    var input = settings.Text("--input") ?? throw new ArgumentException("--time-to-r2 needs --input TAS.nc");
    var data = Path.GetFullPath(settings.Text("--data") ?? "data");
    PythonReference.TorchVersion();
    var result = TimeToRSquaredBenchmark.Run(input, Path.Combine(data, "embeddings"),
        Path.Combine(data, "benchmarks", "time-to-r2"), threads, settings.Double("--budget", 1800),
        settings.Double("--eval-seconds", 60), log);
    log.WriteLine(result.CandidateSeconds is { } seconds
        ? $"time to held-out R² {result.Bar:F4}: PyTorch reference {result.ReferenceSeconds:F0} s, TorchSharp " +
          $"candidate {seconds:F0} s ({result.Speedup:F1}x; target >= 10x)"
        : $"the candidate did not reach held-out R² {result.Bar:F4} within the reference's " +
          $"{result.ReferenceSeconds:F0} s");
    Write(settings.Text("--json"), result);
    return 0;
}

var rounds = settings.Int("--rounds", 3);
var warmup = settings.Int("--warmup", 5);
var shapes = settings.Text("--architecture") switch
{
    "paper" => [BenchmarkArchitecture.PaperWeather],
    "demo" => [BenchmarkArchitecture.DemoPreset],
    null or "both" => new[] { BenchmarkArchitecture.PaperWeather, BenchmarkArchitecture.DemoPreset },
    var other => throw new ArgumentException($"--architecture {other}: choose paper, demo or both"),
};

log.WriteLine($"PyTorch {PythonReference.TorchVersion()} ({PythonReference.Interpreter}, " +
    $"{PythonReference.BlasDescription}) against TorchSharp (the product's trainer), {threads} threads, {rounds} " +
    "alternating rounds, median reported");
var results = new List<ThroughputBenchmark.Result>();
foreach (var shape in shapes.Select(s => s with { TimedSteps = settings.Int("--steps", s.TimedSteps) }))
{
    log.WriteLine($"{shape.Name}, batch {shape.BatchSize}, {shape.TimedSteps} timed steps after {warmup}:");
    var result = ThroughputBenchmark.Run(shape, rounds, warmup, threads, log);
    results.Add(result);
    log.WriteLine(string.Create(CultureInfo.InvariantCulture,
        $"  training points/s: TorchSharp {result.TorchSharp:N0}, PyTorch {result.PyTorch:N0}, ratio " +
        $"{result.Ratio:F2}x (target >= 1.5x)"));
}

Write(settings.Text("--json"), results);
return 0;

static void Write<T>(string? path, T value)
{
    if (path is not null)
    {
        File.WriteAllText(path, JsonSerializer.Serialize(value, new JsonSerializerOptions { WriteIndented = true }));
    }
}
