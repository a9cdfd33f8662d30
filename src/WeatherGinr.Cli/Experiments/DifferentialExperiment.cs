using System.Diagnostics;
using WeatherGinr.Core.Mesh;
using WeatherGinr.Training;

namespace WeatherGinr.Cli.Experiments;

/// <summary>
/// Differential supervision (the paper's section 4): the network is trained only on the graph Laplacian
/// of a signal, <c>min || L f_theta - L f ||^2</c>, and recovers the signal up to the Laplacian's null space
/// (a constant on a connected mesh). Scored after removing each side's mean: R-squared of the centred
/// signal, and how well <c>L f_theta</c> matches the supervision. Five ways, each a row: the library's
/// stencil batches with a SIREN (the paper's pure loss), the pure loss on the whole graph with the same SIREN
/// and with ReLU, the
/// same preconditioned with the embedding's eigenvalues (<see cref="DifferentialLoss.PreconditionedModes"/>,
/// still only L f), and the pure loss plus a few value anchors (extra supervision, said so in the label).
/// </summary>
public sealed class DifferentialExperiment : IExperiment
{
    /// <summary>Value anchors of the anchored row: nodes where f itself is given.</summary>
    public const int AnchorCount = 16;

    public string Name => "differential";

    public string Description => "Recover a signal from its graph Laplacian alone (up to a constant)";

    public ExperimentResult Run(ExperimentContext context, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(context);
        var clock = Stopwatch.StartNew();
        var (level, columns) = context.Quick ? (3, 16) : (4, 64);
        var stencilBatches = context.Quick
            ? new FitSettings(Layers: 4, Width: 64, LearningRate: 1e-3, Steps: 500, BatchSize: 256)
            : new FitSettings(Layers: 4, Width: 256, LearningRate: 3e-4, Steps: 1000, BatchSize: 512);
        var mesh = context.Mesh(level);
        var fullGraph = context.Quick
            ? new FitSettings(4, 64, 1e-3, 500, mesh.NodeCount, Activation: GinrActivation.Relu)
            : new FitSettings(4, 256, 1e-3, 1000, mesh.NodeCount, Activation: GinrActivation.Relu);
        var sirenFullGraph = stencilBatches with { BatchSize = mesh.NodeCount };

        var graph = Graph(mesh);

        // The input first, refused before any work when L f is nowhere defined on it: the closed-form rows do not
        // depend on the input, but a table of them alone would pass for a run on the file, so none is written.
        var temperature = TemperatureSnapshots.Load(context);
        var temperatureOnNodes = temperature.RequireOnNodes(mesh, 0, context.Quick);
        RequireLaplacian(temperature, mesh, graph, temperatureOnNodes, context.Quick);

        var embedding = context.Embedding(level, columns);
        var rows = SignalFit.Columns(embedding, columns);
        var eigenvalues = embedding.Eigenvalues.Take(columns).ToArray();
        var signals = new (string Label, float[] Values)[]
        {
            ("closed form", SmoothSphereSignal.OnNodes(mesh)),
            (temperature.Label(0), temperatureOnNodes),
        };
        var anchors = SignalFit.HoldOutNodes(mesh.NodeCount, (double)AnchorCount / mesh.NodeCount, seed: 5);

        var table = new ExperimentTable("signal, method");
        var device = "";
        foreach (var (label, values) in signals)
        {
            var laplacian = graph.ApplyLaplacian(values, 1);
            var samples = new SpatioTemporalSamples(rows, mesh.NodeCount, columns, [0.0], laplacian, ["value"]);
            var methods = new (string Method, Func<TrainingOutcome> Train)[]
            {
                ($"pure, {stencilBatches.Network}, stencil batches", () => GinrTrainer.TrainOnLaplacian(samples,
                    graph, stencilBatches.Architecture(columns), stencilBatches.Options, null, cancellationToken)),
                ($"pure, {stencilBatches.Network}, full graph", () => DifferentialSupervision.Train(samples,
                    eigenvalues, graph, stencilBatches.Architecture(columns), sirenFullGraph.Options,
                    DifferentialLoss.Pure, null, cancellationToken)),
                ($"pure, {fullGraph.Network}, full graph", () => FullGraph(DifferentialLoss.Pure)),
                ($"preconditioned m = {columns}, {fullGraph.Network}, full graph",
                    () => FullGraph(new DifferentialLoss(PreconditionedModes: columns))),
                ($"pure + {anchors.Length} value anchors, {fullGraph.Network}, full graph", () => FullGraph(
                    new DifferentialLoss(AnchorNodes: anchors,
                        AnchorValues: anchors.Select(i => values[i]).ToArray()))),
            };

            foreach (var (method, train) in methods)
            {
                context.Narrate($"differential: {label}, {method}, {mesh.NodeCount:N0} nodes, k = {columns}");
                var outcome = train();
                using var model = outcome.Model;
                device = outcome.Device;

                var predicted = model.Predict(rows, mesh.NodeCount, 0.0);
                var recovered = FieldMetrics.Score(label, Centred(values), Centred(predicted));
                var supervision = FieldMetrics.Score(label, laplacian, graph.ApplyLaplacian(predicted, 1));
                table.Add($"{label}, {method}",
                    ("nodes", mesh.NodeCount, "N0"),
                    ("R² f (centred)", recovered.RSquared, "F4"),
                    ("RMSE f (centred)", recovered.Rmse, "G3"),
                    ("R² L f", supervision.RSquared, "F4"),
                    ("steps", outcome.Steps, "N0"),
                    ("seconds", outcome.ElapsedSeconds, "F0"));
                context.Narrate($"differential: {label}, {method}: centred R² {recovered.RSquared:F4}, " +
                    $"L f R² {supervision.RSquared:F4}");
            }

            TrainingOutcome FullGraph(DifferentialLoss loss) => DifferentialSupervision.Train(samples, eigenvalues,
                graph, fullGraph.Architecture(columns), fullGraph.Options, loss, null, cancellationToken);
        }

        return new ExperimentResult(Name, "Differential supervision: the signal from its Laplacian", context.Quick,
            table.LabelColumn, table.Columns, table.Rows, new Dictionary<string, string>
            {
                ["mesh"] = $"icosphere level {level} ({mesh.NodeCount:N0} nodes), L = D - A, eigenvalues " +
                    $"{eigenvalues[1]:G3} (smallest non-zero) to {eigenvalues[^1]:G3} (column {columns})",
                ["embedding"] = $"first {columns} eigenvectors",
                ["stencil batches"] = stencilBatches + " (GinrTrainer.TrainOnLaplacian: batches of nodes, each " +
                    "with its neighbours)",
                ["full graph"] = $"{fullGraph.Network}, lr {fullGraph.LearningRate:G3}, or {stencilBatches.Network}, " +
                    $"lr {stencilBatches.LearningRate:G3}; {fullGraph.Steps} steps of every node, seed " +
                    $"{fullGraph.Seed} (DifferentialSupervision.Train)",
                ["closed form"] = "f(x, y, z) = 2xy + z^2 - x/2 + sin(3z) + cos(2x + y)",
                ["temperature"] = temperature.SourcePath,
            },
            [
                "The network never sees f, only L f (except the anchored rows); f is determined up to a constant, " +
                "so both sides are centred (mean removed) before scoring.",
                "pure: the paper's loss mean (L f_theta - L f)^2. preconditioned: the residual's components along " +
                "the first m eigenvectors are divided by lambda_j / lambda_(m-1) (a truncated inverse of L built " +
                "from the embedding's own eigenpairs); the supervision is still only L f.",
                $"value anchors: f itself is given at {AnchorCount} random nodes (centred over them) besides L f: " +
                "extra supervision, not the pure method.",
            ],
            device, clock.Elapsed.TotalSeconds, DateTimeOffset.UtcNow);
    }

    /// <summary>The mesh's edges as the trainer's graph.</summary>
    public static MeshGraph Graph(Icosphere mesh)
    {
        ArgumentNullException.ThrowIfNull(mesh);
        var edges = mesh.EdgeEndpoints;
        return new MeshGraph(mesh.NodeCount,
            Enumerable.Range(0, edges.Length / 2).Select(e => edges[2 * e]).ToArray(),
            Enumerable.Range(0, edges.Length / 2).Select(e => edges[(2 * e) + 1]).ToArray());
    }

    /// <summary>
    /// (L f)_i = deg(i) f_i - sum of f over i's neighbours needs f at i and at every neighbour: a regional grid
    /// narrower than a few mesh spacings (the UK at level 3) reaches a few nodes but no whole stencil, and then there
    /// is no supervision at all.
    /// </summary>
    private static void RequireLaplacian(TemperatureSnapshots temperature, Icosphere mesh, MeshGraph graph,
        float[] values, bool quick)
    {
        if (InputCoverage.Reached(graph.ApplyLaplacian(values, 1)) == 0)
        {
            throw InputCoverage.Refusal(temperature.SourcePath, temperature.Field, mesh, InputCoverage.Reached(values),
                "none of them has all its neighbours inside the grid, which L f needs at a node", quick);
        }
    }

    private static float[] Centred(float[] values)
    {
        var mean = values.Where(float.IsFinite).Average(v => (double)v);
        return values.Select(v => (float)(v - mean)).ToArray();
    }
}
