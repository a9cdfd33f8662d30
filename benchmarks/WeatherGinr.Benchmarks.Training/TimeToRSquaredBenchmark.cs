using System.Diagnostics;
using System.Globalization;
using System.Runtime.InteropServices;
using System.Text.Json;
using WeatherGinr.Core.Mesh;
using WeatherGinr.Core.Spectral;
using WeatherGinr.Ingest;
using WeatherGinr.Training;

namespace WeatherGinr.Benchmarks.Training;

/// <summary>
/// Optional mode (about an hour on 2 cores; not run by default): time to a held-out R-squared on the real
/// CMIP5 2005 monthly tas regridded onto icosphere level 5, 10 % of the nodes held out. First the paper's
/// weather configuration in PyTorch (ReLU, 8 x 512, lr 1e-3, 5000 random nodes per time step, 34 embedding
/// columns plus time) for up to <c>budgetSeconds</c>, scored every <c>evalSeconds</c>; the bar is 0.99, or
/// the best held-out R-squared it reached when it never reached 0.99. Then the product's configuration in
/// TorchSharp, scored at the same interval, until it reaches the bar or spends the reference's time.
/// Target: at most a tenth of the reference's time.
/// </summary>
public static class TimeToRSquaredBenchmark
{
    public sealed record Result(
        double Bar, double ReferenceSeconds, double? CandidateSeconds, string Candidate,
        IReadOnlyList<double[]> ReferenceTrace, IReadOnlyList<double[]> CandidateTrace)
    {
        public double? Speedup => CandidateSeconds is { } s ? ReferenceSeconds / s : null;
    }

    /// <summary>
    /// The product's choice, argued in docs/training.md: ReLU generalises to held-out nodes where a SIREN at
    /// w0 = 30 does not; 34 columns as the reference; a narrower network takes more steps per second.
    /// </summary>
    public static (GinrArchitecture Architecture, TrainingOptions Options) Candidate(int columns) =>
        (new GinrArchitecture(columns, ConditioningColumns: 1, Outputs: 1, Layers: 6, Width: 256,
            Activation: GinrActivation.Relu),
         new TrainingOptions(MaxSteps: 1_000_000, BatchSize: 8192, LearningRate: 1e-3, PlateauPatience: 4,
            ProgressIntervalSteps: 1000));

    public static Result Run(string temperatureFile, string embeddingCache, string workFolder, int threads,
        double budgetSeconds, double evalSeconds, TextWriter log)
    {
        const int Level = 5, Columns = 34;
        var mesh = Icosphere.Create(Level);
        var embedding = new EmbeddingCache(embeddingCache).GetOrCreate(Level, Columns, out _);
        var field = WeatherFieldReader.ReadWeatherFields([temperatureFile])
            .First(f => f.Quantity == WeatherQuantity.AirTemperature);
        var n = mesh.NodeCount;
        var targets = Enumerable.Range(0, field.TimeCount).SelectMany(t => LatLonRegridder.Regrid(field, t,
            mesh.LatitudesDegrees, mesh.LongitudesDegrees, mesh.MeanEdgeLengthDegrees)).ToArray();
        var random = new Random(5);
        var heldOut = Enumerable.Range(0, n).OrderBy(_ => random.Next()).Take(n / 10).Order().ToArray();

        Directory.CreateDirectory(workFolder);
        void WriteRaw<T>(string name, T[] values) where T : struct =>
            File.WriteAllBytes(Path.Combine(workFolder, name), MemoryMarshal.AsBytes(values.AsSpan()).ToArray());
        WriteRaw("embedding.f32", embedding.Values);
        WriteRaw("targets.f32", targets);
        WriteRaw("heldout.i32", heldOut);
        File.WriteAllText(Path.Combine(workFolder, "meta.json"),
            JsonSerializer.Serialize(new { nodes = n, k = Columns, times = field.TimeCount }));

        log.WriteLine($"reference (PyTorch, paper's weather configuration), up to {budgetSeconds:F0} s");
        var reference = PythonReference.Run(
            ["time-to-r2", "--data", workFolder, "--budget", Str(budgetSeconds), "--threads", Str(threads),
                "--eval-seconds", Str(evalSeconds)], threads, line => log.WriteLine("  " + line))
            .GetProperty("trace").EnumerateArray()
            .Select(p => p.EnumerateArray().Select(v => v.GetDouble()).ToArray()).ToArray();
        var best = reference.Max(p => p[2]);
        var bar = best >= 0.99 ? 0.99 : best;
        var referenceSeconds = reference.First(p => p[2] >= bar)[0];
        log.WriteLine($"bar: held-out R² {bar:F4}, reached by the reference after {referenceSeconds:F0} s");

        var (architecture, options) = Candidate(Columns);
        var trainingTargets = (float[])targets.Clone();
        for (var t = 0; t < field.TimeCount; t++)
        {
            foreach (var node in heldOut)
            {
                trainingTargets[(t * n) + node] = float.NaN;
            }
        }

        var samples = new SpatioTemporalSamples(embedding.Values, n, Columns,
            Enumerable.Range(0, field.TimeCount).Select(t => (double)t).ToArray(), trainingTargets, ["tas"]);
        var rows = heldOut.SelectMany(i => embedding.Values.AsSpan(i * Columns, Columns).ToArray()).ToArray();
        var truth = Enumerable.Range(0, field.TimeCount).SelectMany(t => heldOut.Select(i => targets[(t * n) + i]))
            .ToArray();
        var checkpoint = Path.Combine(workFolder, "candidate.ckpt");
        var trace = new List<double[]>();
        var clock = Stopwatch.StartNew();
        double? reached = null;
        var steps = 0;
        var segment = 200;
        while (clock.Elapsed.TotalSeconds < referenceSeconds)
        {
            var segmentOptions = options with
            {
                MaxSteps = steps + segment, CheckpointPath = checkpoint, Threads = threads,
            };
            var outcome = steps == 0
                ? GinrTrainer.Train(samples, architecture, segmentOptions)
                : GinrTrainer.Resume(samples, architecture, checkpoint, segmentOptions);
            using var model = outcome.Model;
            steps = outcome.Steps;
            var predicted = Enumerable.Range(0, field.TimeCount)
                .SelectMany(t => model.Predict(rows, heldOut.Length, t)).ToArray();
            var r2 = FieldMetrics.RSquared(truth, predicted);
            trace.Add([clock.Elapsed.TotalSeconds, steps, r2]);
            log.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"  candidate: {clock.Elapsed.TotalSeconds:F0} s, {steps} steps, held-out R² {r2:F4}"));
            if (r2 >= bar)
            {
                reached = clock.Elapsed.TotalSeconds;
                break;
            }

            if (outcome.StopReason != "max-steps")
            {
                break;
            }
        }

        return new Result(bar, referenceSeconds, reached, $"{architecture} {options with { MaxSteps = steps }}",
            reference, trace);
    }

    private static string Str(double value) => value.ToString(CultureInfo.InvariantCulture);
}
