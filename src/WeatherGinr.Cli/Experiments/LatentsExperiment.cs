using System.Diagnostics;
using System.Globalization;
using WeatherGinr.Training;

namespace WeatherGinr.Cli.Experiments;

/// <summary>
/// Several signals in one network (the paper's auto-decoder): S monthly temperature fields, each with a
/// learned latent vector concatenated to the embedding, trained together with the same network and the
/// same number of steps for every S. R-squared per signal (mean and worst) against S.
/// </summary>
public sealed class LatentsExperiment : IExperiment
{
    public string Name => "latents";

    public string Description => "R² against the number of signals stored in one network with learned latents";

    public ExperimentResult Run(ExperimentContext context, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(context);
        var clock = Stopwatch.StartNew();
        var (level, columns, latentSize, counts) = context.Quick
            ? (2, 16, 8, new[] { 1, 2, 4 })
            : (4, 64, 16, new[] { 1, 2, 4, 8, 12 });
        var mesh = context.Mesh(level);
        var settings = context.Quick
            ? new FitSettings(Layers: 4, Width: 64, LearningRate: 1e-3, Steps: 600, BatchSize: 512)
            : new FitSettings(Layers: 4, Width: 256, LearningRate: 3e-4, Steps: 1000, BatchSize: 2048);

        // The input first: one whose first month reaches no node is refused before any work.
        var temperature = TemperatureSnapshots.Load(context);
        var n = mesh.NodeCount;
        var months = Enumerable.Range(0, Math.Min(counts.Max(), temperature.TimeCount))
            .Select(t => t == 0 ? temperature.RequireOnNodes(mesh, t, context.Quick) : temperature.OnNodes(mesh, t))
            .ToArray();
        var rows = SignalFit.Columns(context.Embedding(level, columns), columns);

        foreach (var skipped in counts.Where(c => c > months.Length))
        {
            context.Narrate($"latents: S = {skipped} skipped: the input has {months.Length} time steps");
        }

        var table = new ExperimentTable("signals");
        var device = "";
        foreach (var count in counts.Where(c => c <= months.Length))
        {
            context.Narrate($"latents: {count} signals in one network, latent size {latentSize}, {settings}");
            var targets = months.Take(count).SelectMany(m => m).ToArray();
            var samples = new SpatioTemporalSamples(rows, n, columns,
                Enumerable.Range(0, count).Select(s => (double)s).ToArray(), targets, ["tas"]);
            var outcome = GinrTrainer.Train(samples, settings.Architecture(columns, latentSize, count),
                settings.Options, null, cancellationToken);
            using var model = outcome.Model;
            device = outcome.Device;

            var scores = Enumerable.Range(0, count)
                .Select(s => FieldMetrics.Score("tas", months[s], model.PredictSignal(rows, n, s)))
                .ToArray();
            table.Add(count.ToString(CultureInfo.InvariantCulture),
                ("mean R²", scores.Average(s => s.RSquared), "F4"),
                ("worst R²", scores.Min(s => s.RSquared), "F4"),
                ("mean RMSE (K)", scores.Average(s => s.Rmse), "F3"),
                ("parameters", model.ParameterCount, "N0"),
                ("compression", FieldMetrics.CompressionRatio((long)count * n, model.WeightBytes), "G3"),
                ("steps", outcome.Steps, "N0"),
                ("seconds", outcome.ElapsedSeconds, "F0"));
            context.Narrate($"latents: {count} signals: mean R² {scores.Average(s => s.RSquared):F4}");
        }

        return new ExperimentResult(Name, "Several signals in one network (learned latents)", context.Quick,
            table.LabelColumn, table.Columns, table.Rows, new Dictionary<string, string>
            {
                // The steps as they are: an hourly file's first S steps are hours, not months.
                ["signals"] = $"the first S of the steps {temperature.Label(0)} to " +
                    $"{temperature.Label(months.Length - 1)} from {temperature.SourcePath}",
                ["mesh"] = $"icosphere level {level} ({n:N0} nodes), first {columns} eigenvectors",
                ["network"] = $"{settings}, latent size {latentSize}, latent penalty 1e-4",
            },
            [
                "Every S trains a fresh network of the same size for the same number of steps; batches draw " +
                "(node, signal) pairs from all S signals, so each signal gets fewer updates as S grows.",
            ],
            device, clock.Elapsed.TotalSeconds, DateTimeOffset.UtcNow);
    }
}
