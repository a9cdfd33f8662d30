using System.Diagnostics;
using System.Globalization;
using WeatherGinr.Training;

namespace WeatherGinr.Cli.Experiments;

/// <summary>
/// Embedding size: one month of real temperature fitted with the first k eigenvectors for k from 4 to
/// 100, 10 % of the nodes held out; R-squared on the training nodes and on the held-out nodes, beside
/// the mean of each held-out node's training neighbours.
/// </summary>
public sealed class EmbeddingSizeExperiment : IExperiment
{
    public string Name => "embedding-size";

    public string Description => "R² against the number of eigenvectors k (4 to 100), on training and held-out nodes";

    public ExperimentResult Run(ExperimentContext context, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(context);
        var clock = Stopwatch.StartNew();
        var (level, sizes) = context.Quick ? (3, new[] { 4, 9, 16 }) : (4, new[] { 4, 8, 16, 32, 64, 100 });
        FitSettings[] networks = context.Quick
            ? [new(4, 64, 1e-3, 400, 642), new(4, 64, 1e-3, 400, 642, Activation: GinrActivation.Relu)]
            : [new(4, 256, 3e-4, 600, 2562), new(4, 256, 1e-3, 600, 2562, Activation: GinrActivation.Relu)];

        var mesh = context.Mesh(level);

        // The input first: one that leaves no training node with a value is refused before any work.
        var temperature = TemperatureSnapshots.Load(context);
        var values = temperature.OnNodes(mesh, 0);
        var heldOut = SignalFit.HoldOutNodes(mesh.NodeCount, 0.1, seed: 11);
        var reached = InputCoverage.Reached(values);
        var heldOutWithData = heldOut.Count(i => float.IsFinite(values[i]));
        if (reached == heldOutWithData)
        {
            throw InputCoverage.Refusal(temperature.SourcePath, temperature.Field, mesh, reached,
                reached == 0 ? null : "every one of them is among the nodes held out to score the fits", context.Quick);
        }

        // A regional input covers few nodes, and the random held-out tenth may miss all of them: the held-out
        // columns are then empty, which is said in words rather than left as dashes beside "64 held out".
        var heldOutNote = heldOutWithData == 0
            ? $"none of the {heldOut.Length:N0} held-out nodes holds data (the input reaches {reached:N0} of the " +
                $"{mesh.NodeCount:N0} nodes), so nothing is scored on held-out nodes"
            : $"{heldOutWithData:N0} of the {heldOut.Length:N0} held-out nodes hold data and are scored";
        if (heldOutWithData < heldOut.Length)
        {
            context.Narrate($"embedding-size: {heldOutNote}");
        }

        var embedding = context.Embedding(level, sizes.Max());

        var table = new ExperimentTable("k");
        var device = "";
        foreach (var k in sizes)
        {
            var cells = new List<(string Column, double Value, string Format)>();
            foreach (var settings in networks)
            {
                context.Narrate($"embedding-size: k = {k}, {settings}");
                using var fit = SignalFit.Train(SignalFit.Columns(embedding, k), k, values, settings, heldOut,
                    cancellationToken);
                device = fit.Outcome.Device;
                cells.Add(($"{settings.Network} R² train", fit.Training.RSquared, "F4"));
                cells.Add(($"{settings.Network} R² held-out", fit.HeldOut!.RSquared, "F4"));
                cells.Add(($"{settings.Network} RMSE held-out (K)", fit.HeldOut.Rmse, "F3"));
                cells.Add(($"{settings.Network} seconds", fit.Outcome.ElapsedSeconds, "F0"));
            }

            table.Add(k.ToString(CultureInfo.InvariantCulture), [.. cells]);
        }

        // The baseline sees the same training values and does not depend on k.
        var training = (float[])values.Clone();
        foreach (var node in heldOut)
        {
            training[node] = float.NaN;
        }

        var baseline = FieldMetrics.Score("tas", heldOut.Select(i => values[i]).ToArray(),
            NeighbourMean.At(mesh, training, heldOut));
        var network = networks[0].Network;
        table.Add("neighbour mean", ($"{network} R² held-out", baseline.RSquared, "F4"),
            ($"{network} RMSE held-out (K)", baseline.Rmse, "F3"));

        return new ExperimentResult(Name, "R² against embedding size k", context.Quick, table.LabelColumn,
            table.Columns,
            table.Rows, new Dictionary<string, string>
            {
                ["signal"] = $"{temperature.Label(0)} from {temperature.SourcePath}",
                ["mesh"] = $"icosphere level {level} ({mesh.NodeCount:N0} nodes), {heldOut.Length:N0} held out" +
                    (heldOutWithData < heldOut.Length ? $"; {heldOutNote}" : ""),
                ["networks"] = string.Join("; ", networks.Select(n => n.ToString())),
            },
            [
                "held-out: 10 % of the nodes, never in the loss; neighbour mean: the mean of each held-out " +
                "node's training neighbours (the plain baseline), shown in the first network's held-out columns.",
                .. heldOutWithData == 0 ? [$"Held-out columns are empty: {heldOutNote}."] : Array.Empty<string>(),
            ],
            device, clock.Elapsed.TotalSeconds, DateTimeOffset.UtcNow);
    }
}
