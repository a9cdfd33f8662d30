using System.Globalization;
using WeatherGinr.Training;

namespace WeatherGinr.Benchmarks.Training;

/// <summary>
/// Training points per second of one architecture in TorchSharp (the product's own trainer: batch
/// gathering, masked-MSE path, AdamW, plateau schedule) and in PyTorch (the same network and step), in
/// the same run, alternating rounds so that a busy machine slows both alike. A round's rate is
/// <c>batch x timed steps / seconds</c> after warm-up steps; the report is the median round.
/// </summary>
public static class ThroughputBenchmark
{
    public sealed record Result(string Architecture, int Threads, double[] TorchSharpRates, double[] PyTorchRates)
    {
        public double TorchSharp => Median(TorchSharpRates);

        public double PyTorch => Median(PyTorchRates);

        public double Ratio => TorchSharp / PyTorch;

        /// <summary>Rates of the step's matrix products alone (<see cref="MatrixProductBound"/>); empty unless
        /// asked for.</summary>
        public double[] TorchSharpProductRates { get; init; } = [];

        public double[] PyTorchProductRates { get; init; } = [];

        public double? ProductRatio => TorchSharpProductRates.Length > 0
            ? Median(TorchSharpProductRates) / Median(PyTorchProductRates)
            : null;

        // (step time in products) / (step time) = (points/s of the step) / (points/s of its products alone).
        public double? TorchSharpProductShare =>
            TorchSharpProductRates.Length > 0 ? TorchSharp / Median(TorchSharpProductRates) : null;

        public double? PyTorchProductShare =>
            PyTorchProductRates.Length > 0 ? PyTorch / Median(PyTorchProductRates) : null;
    }

    public static Result Run(BenchmarkArchitecture shape, int rounds, int warmupSteps, int threads, TextWriter log,
        bool products = false)
    {
        var torchSharp = new List<double>();
        var pyTorch = new List<double>();
        var torchSharpProducts = new List<double>();
        var pyTorchProducts = new List<double>();
        for (var round = 1; round <= rounds; round++)
        {
            torchSharp.Add(TorchSharpRate(shape, warmupSteps, threads));
            pyTorch.Add(PythonReference.Run(shape.PythonArguments(warmupSteps, threads), threads)
                .GetProperty("points_per_second").GetDouble());
            log.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"  round {round}: TorchSharp {torchSharp[^1]:N0} points/s, PyTorch {pyTorch[^1]:N0} points/s"));
            if (products)
            {
                torchSharpProducts.Add(MatrixProductBound.TorchSharpRate(shape, warmupSteps, threads));
                pyTorchProducts.Add(PythonReference.Run(
                        shape.PythonArguments(warmupSteps, threads).Skip(1).Prepend("products"), threads)
                    .GetProperty("points_per_second").GetDouble());
                log.WriteLine(string.Create(CultureInfo.InvariantCulture,
                    $"  round {round}, matrix products only: TorchSharp {torchSharpProducts[^1]:N0} points/s, " +
                    $"PyTorch {pyTorchProducts[^1]:N0} points/s"));
            }
        }

        return new Result(shape.Name, threads, [.. torchSharp], [.. pyTorch])
        {
            TorchSharpProductRates = [.. torchSharpProducts],
            PyTorchProductRates = [.. pyTorchProducts],
        };
    }

    /// <summary>
    /// The trainer reports the elapsed time every <paramref name="warmupSteps"/> steps; the rate is taken
    /// between the first report (end of warm-up) and the last, so set-up costs are excluded.
    /// </summary>
    private static double TorchSharpRate(BenchmarkArchitecture shape, int warmupSteps, int threads)
    {
        var random = new Random(1);
        var embedding = new float[shape.Nodes * shape.EmbeddingColumns];
        var targets = new float[shape.Times * shape.Nodes * shape.Outputs];
        for (var i = 0; i < embedding.Length; i++)
        {
            embedding[i] = (float)random.NextDouble() * 2 - 1;
        }

        for (var i = 0; i < targets.Length; i++)
        {
            targets[i] = (float)random.NextDouble();
        }

        var samples = new SpatioTemporalSamples(embedding, shape.Nodes, shape.EmbeddingColumns,
            Enumerable.Range(0, shape.Times).Select(t => (double)t).ToArray(), targets,
            Enumerable.Range(0, shape.Outputs).Select(v => $"v{v}").ToArray());
        var timedSteps = (shape.TimedSteps + warmupSteps - 1) / warmupSteps * warmupSteps;
        var options = new TrainingOptions(MaxSteps: warmupSteps + timedSteps, BatchSize: shape.BatchSize,
            LearningRate: 1e-4, PlateauPatience: int.MaxValue, MinLearningRate: 0, ProgressIntervalSteps: warmupSteps,
            Threads: threads);
        var reports = new List<TrainingProgress>();
        var outcome = GinrTrainer.Train(samples, shape.Architecture, options, new Recorder(reports));
        outcome.Model.Dispose();

        var (first, last) = (reports[0], reports[^1]);
        return (double)(last.Step - first.Step) * shape.BatchSize / (last.ElapsedSeconds - first.ElapsedSeconds);
    }

    private static double Median(double[] values)
    {
        var sorted = values.Order().ToArray();
        return sorted.Length % 2 == 1 ? sorted[sorted.Length / 2]
            : (sorted[(sorted.Length / 2) - 1] + sorted[sorted.Length / 2]) / 2;
    }

    /// <summary>Collects reports synchronously (Progress&lt;T&gt; would post them to the thread pool).</summary>
    private sealed class Recorder(List<TrainingProgress> reports) : IProgress<TrainingProgress>
    {
        public void Report(TrainingProgress value) => reports.Add(value);
    }
}
