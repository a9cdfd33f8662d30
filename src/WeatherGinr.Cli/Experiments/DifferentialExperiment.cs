using System.Diagnostics;
using WeatherGinr.Training;

namespace WeatherGinr.Cli.Experiments;

/// <summary>
/// Differential supervision (the paper's section 4): the network is trained only on the graph Laplacian
/// of a signal, <c>min || L f_theta - L f ||^2</c>, and recovers the signal up to the Laplacian's null space
/// (a constant on a connected mesh). Scored after removing each side's mean: R-squared of the centred
/// signal, and how well <c>L f_theta</c> matches the supervision.
/// </summary>
public sealed class DifferentialExperiment : IExperiment
{
    public string Name => "differential";

    public string Description => "Recover a signal from its graph Laplacian alone (up to a constant)";

    public ExperimentResult Run(ExperimentContext context, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(context);
        var clock = Stopwatch.StartNew();
        var (level, columns) = context.Quick ? (3, 16) : (4, 64);
        var settings = context.Quick
            ? new FitSettings(Layers: 4, Width: 64, LearningRate: 1e-3, Steps: 500, BatchSize: 256)
            : new FitSettings(Layers: 4, Width: 256, LearningRate: 3e-4, Steps: 1000, BatchSize: 512);

        var mesh = context.Mesh(level);
        var rows = SignalFit.Columns(context.Embedding(level, columns), columns);
        var edges = mesh.EdgeEndpoints;
        var graph = new MeshGraph(mesh.NodeCount,
            Enumerable.Range(0, edges.Length / 2).Select(e => edges[2 * e]).ToArray(),
            Enumerable.Range(0, edges.Length / 2).Select(e => edges[(2 * e) + 1]).ToArray());
        var temperature = TemperatureSnapshots.Load(context);
        var signals = new (string Label, float[] Values)[]
        {
            ("closed form", SmoothSphereSignal.OnNodes(mesh)),
            ($"tas {temperature.TimeUtc(0):yyyy-MM}", temperature.OnNodes(mesh, 0)),
        };

        var table = new ExperimentTable("signal");
        var device = "";
        foreach (var (label, values) in signals)
        {
            context.Narrate($"differential: {label} on {mesh.NodeCount:N0} nodes, k = {columns}, {settings}");
            var laplacian = graph.ApplyLaplacian(values, 1);
            var samples = new SpatioTemporalSamples(rows, mesh.NodeCount, columns, [0.0], laplacian, ["value"]);
            var outcome = GinrTrainer.TrainOnLaplacian(samples, graph, settings.Architecture(columns), settings.Options,
                null, cancellationToken);
            using var model = outcome.Model;
            device = outcome.Device;

            var predicted = model.Predict(rows, mesh.NodeCount, 0.0);
            var recovered = FieldMetrics.Score(label, Centred(values), Centred(predicted));
            var supervision = FieldMetrics.Score(label, laplacian, graph.ApplyLaplacian(predicted, 1));
            table.Add(label,
                ("nodes", mesh.NodeCount, "N0"),
                ("R² f (centred)", recovered.RSquared, "F4"),
                ("RMSE f (centred)", recovered.Rmse, "G3"),
                ("R² L f", supervision.RSquared, "F4"),
                ("steps", outcome.Steps, "N0"),
                ("seconds", outcome.ElapsedSeconds, "F0"));
            context.Narrate($"differential: {label}: centred R² {recovered.RSquared:F4}, " +
                $"L f R² {supervision.RSquared:F4}");
        }

        return new ExperimentResult(Name, "Differential supervision: the signal from its Laplacian", context.Quick,
            table.LabelColumn, table.Columns, table.Rows, new Dictionary<string, string>
            {
                ["mesh"] = $"icosphere level {level} ({mesh.NodeCount:N0} nodes), L = D - A",
                ["embedding"] = $"first {columns} eigenvectors",
                ["network"] = settings.ToString() + " (batches of nodes, each with its neighbours)",
                ["closed form"] = "f(x, y, z) = 2xy + z^2 - x/2 + sin(3z) + cos(2x + y)",
                ["temperature"] = temperature.SourcePath,
            },
            [
                "The network never sees f, only L f; f is determined up to a constant, so both sides are centred " +
                "(mean removed) before scoring.",
            ],
            device, clock.Elapsed.TotalSeconds, DateTimeOffset.UtcNow);
    }

    private static float[] Centred(float[] values)
    {
        var mean = values.Where(float.IsFinite).Average(v => (double)v);
        return values.Select(v => (float)(v - mean)).ToArray();
    }
}
