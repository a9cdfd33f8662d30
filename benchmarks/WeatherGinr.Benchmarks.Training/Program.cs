using System.Globalization;
using System.Text.Json;
using WeatherGinr.Benchmarks.Training;

// weatherginr training benchmark (benchmarks/run-training-benchmark.sh):
//   [--rounds N] [--threads P] [--warmup S] [--steps S] [--architecture paper|demo|both] [--products] [--json FILE]
//   --time-to-r2 --input TAS.nc [--data DIR] [--budget SECONDS] [--cpu-budget CPU_SECONDS] [--eval-seconds S]
//       [--candidate-eval-seconds S]
//       [--candidate-only --bar R2 --limit SECONDS] [--columns K --layers L --width W --activation relu|sine
//        --omega0 W0 --lr LR --batch B --patience P --window STEPS]                      (optional, ~1 hour)
var settings = Arguments.Parse(args);
var threads = settings.Int("--threads", Environment.ProcessorCount);
var log = Console.Out;

if (settings.Flag("--time-to-r2"))
{
    var input = ResolveInput(
        settings.Text("--input") ?? throw new ArgumentException("--time-to-r2 needs --input TAS.nc"));
    if (input is null)
    {
        Console.Error.WriteLine($"run-training-benchmark: --input '{settings.Text("--input")}': no such file, " +
            "neither as given nor in the sample data folder ../shared/data/netcdf beside the repository");
        return 2;
    }

    var data = Path.GetFullPath(settings.Text("--data") ?? "data");
    var embeddings = Path.Combine(data, "embeddings");
    var candidate = TimeToRSquaredCandidate.FromArguments(settings);
    var candidateEval = settings.Double("--candidate-eval-seconds", 2);
    log.WriteLine($"time to held-out R², {threads} threads; load average at start: {LoadAverage()}");
    TimeToRSquaredBenchmark.Result result;
    if (settings.Flag("--candidate-only"))
    {
        result = TimeToRSquaredBenchmark.RunCandidateOnly(input, embeddings, threads, settings.Double("--bar", 0.99),
            settings.Double("--limit", 300), candidateEval, candidate, log);
        log.WriteLine(result.CandidateSeconds is { } reached
            ? string.Create(CultureInfo.InvariantCulture,
                $"candidate reached held-out R² {result.Bar:F4} after {reached:F1} s " +
                $"({result.CandidateCpuSeconds:F0} CPU s)")
            : $"candidate did not reach held-out R² {result.Bar:F4}");
    }
    else
    {
        PythonReference.TorchVersion();
        result = TimeToRSquaredBenchmark.Run(input, embeddings, Path.Combine(data, "benchmarks", "time-to-r2"),
            threads, settings.Double("--budget", 1800),
            settings.Text("--cpu-budget") is null ? null : settings.Double("--cpu-budget", 3600),
            settings.Double("--eval-seconds", 15), candidateEval,
            candidate, log);
        log.WriteLine(result.CandidateSeconds is { } seconds
            ? string.Create(CultureInfo.InvariantCulture,
                $"time to held-out R² {result.Bar:F4}: PyTorch reference {result.ReferenceSeconds:F0} s " +
                $"({result.ReferenceCpuSeconds:F0} CPU s), TorchSharp candidate {seconds:F1} s " +
                $"({result.CandidateCpuSeconds:F0} CPU s): {result.Speedup:F1}x (target >= 10x)")
            : string.Create(CultureInfo.InvariantCulture, $"the candidate did not reach held-out R² " +
                $"{result.Bar:F4} within the reference's {result.ReferenceSeconds:F0} s"));
    }

    log.WriteLine($"load average at end: {LoadAverage()}");
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
    var result = ThroughputBenchmark.Run(shape, rounds, warmup, threads, log, settings.Flag("--products"));
    results.Add(result);
    log.WriteLine(string.Create(CultureInfo.InvariantCulture,
        $"  training points/s: TorchSharp {result.TorchSharp:N0}, PyTorch {result.PyTorch:N0}, ratio " +
        $"{result.Ratio:F2}x (target >= 1.5x)"));
    if (result.ProductRatio is { } productRatio)
    {
        log.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"  matrix products alone: ratio {productRatio:F2}x; share of the training step spent in them: " +
            $"TorchSharp {result.TorchSharpProductShare:P0}, PyTorch {result.PyTorchProductShare:P0}"));
    }
}

Write(settings.Text("--json"), results);
return 0;

static string LoadAverage() =>
    File.Exists("/proc/loadavg") ? string.Join(' ', File.ReadAllText("/proc/loadavg").Split(' ')[..3]) : "unknown";

static void Write<T>(string? path, T value)
{
    if (path is not null)
    {
        File.WriteAllText(path, JsonSerializer.Serialize(value, new JsonSerializerOptions { WriteIndented = true }));
    }
}

// A path as given, else a bare file name in ../shared/data/netcdf beside the repository (the folder holding
// WeatherGinr.sln); null when neither exists.
static string? ResolveInput(string given)
{
    if (File.Exists(given))
    {
        return Path.GetFullPath(given);
    }

    for (var folder = new DirectoryInfo(AppContext.BaseDirectory); folder is not null; folder = folder.Parent)
    {
        if (File.Exists(Path.Combine(folder.FullName, "WeatherGinr.sln")))
        {
            var sample = Path.GetFullPath(Path.Combine(folder.FullName, "..", "shared", "data", "netcdf", given));
            return File.Exists(sample) ? sample : null;
        }
    }

    return null;
}
