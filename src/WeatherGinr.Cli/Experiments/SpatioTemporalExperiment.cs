using System.Diagnostics;
using WeatherGinr.Training;

namespace WeatherGinr.Cli.Experiments;

/// <summary>
/// Spatio-temporal (the paper's weather model): a real multi-month series, the CMIP5 2005 monthly near-surface
/// temperature, on an icosphere level, fitted by one network conditioned on time, <c>f(e_i, t)</c>. A share of
/// the nodes, of the interior months and of the original grid cells is held out (<see cref="HeldOutSeries"/>);
/// R-squared, RMSE and MAE in kelvin on the training pairs and on each held-out set, beside its plain
/// baseline: the mean of the training neighbours for nodes, linear interpolation in time for months,
/// barycentric interpolation of the training nodes for grid cells.
/// </summary>
public sealed class SpatioTemporalExperiment : IExperiment
{
    public const double HeldOutNodeFraction = 0.1;
    public const double HeldOutCellFraction = 0.1;

    /// <summary>A quarter of the 10 interior months: 3 (March, July, October for 12 months).</summary>
    public const double HeldOutTimeFraction = 0.25;

    public string Name => "spatio-temporal";

    public string Description =>
        "A monthly temperature series in one time-conditioned network: held-out nodes, months and grid points";

    public ExperimentResult Run(ExperimentContext context, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(context);
        var clock = Stopwatch.StartNew();
        var (level, columns) = context.Quick ? (3, 16) : (4, 64);
        var settings = context.Quick
            ? new FitSettings(4, 64, 1e-3, 2000, 1024, Activation: GinrActivation.Relu)
            : new FitSettings(4, 256, 1e-3, 2000, 4096, Activation: GinrActivation.Relu);

        var mesh = context.Mesh(level);
        // The input first: a refused file is told before the embedding is computed.
        var temperature = MonthlySeries.Temperature(context);
        var embedding = context.Embedding(level, columns);
        var series = HeldOutSeries.Prepare([temperature], mesh, embedding, HeldOutNodeFraction,
            HeldOutCellFraction, HeldOutTimeFraction, seed: 17);
        series.RequireTrainingValues([MonthlySeries.TemperaturePath(context)], context.Quick);
        if (series.HeldOutSteps.Steps.Length == 0)
        {
            // Two months hold no interior month to hold out, and the table's month rows came out empty.
            throw new ArgumentException($"{MonthlySeries.TemperaturePath(context)}: the series has " +
                $"{series.TimeCount} time steps, too few to hold any interior one out (this experiment scores " +
                "held-out months); give a longer series");
        }
        context.Narrate($"spatio-temporal: {series.TimeCount} months on {mesh.NodeCount:N0} nodes, k = {columns}, " +
            $"{series.HeldOutNodes.Length} nodes, {series.HeldOutSteps.Steps.Length} months and " +
            $"{series.HeldOutCellCount} grid cells held out; {settings}");

        var samples = series.Samples([0]);
        var outcome = GinrTrainer.Train(samples, settings.Architecture(columns, conditioningColumns: 1),
            settings.Options, null, cancellationToken);
        using var model = outcome.Model;
        var score = series.Score(model, [0])[0];

        var table = new ExperimentTable("scored on (baseline)");
        table.Add("training pairs (-)", Cells(score.Training, null));
        table.Add("held-out nodes (neighbour mean)", Cells(score.HeldOutNodes, score.NodesBaseline));
        table.Add("held-out months (linear in time)", Cells(score.HeldOutTimes, score.TimesBaseline));
        table.Add("held-out grid points (barycentric)", Cells(score.GridPoints, score.GridBaseline));
        context.Narrate($"spatio-temporal: training R² {score.Training.RSquared:F4}, held-out nodes " +
            $"{score.HeldOutNodes.RSquared:F4} (baseline {score.NodesBaseline.RSquared:F4}), months " +
            $"{score.HeldOutTimes.RSquared:F4} ({score.TimesBaseline.RSquared:F4}), grid points " +
            $"{score.GridPoints.RSquared:F4} ({score.GridBaseline.RSquared:F4})");

        var months = series.HeldOutSteps.Steps.Select(t => temperature.TimesUtc[t].ToString("yyyy-MM",
            System.Globalization.CultureInfo.InvariantCulture));
        return new ExperimentResult(Name, "A monthly series in one time-conditioned network", context.Quick,
            table.LabelColumn, table.Columns, table.Rows, new Dictionary<string, string>
            {
                ["series"] = $"{temperature.VariableName} ({score.Units}), {series.TimeCount} months from " +
                    MonthlySeries.TemperaturePath(context),
                ["mesh"] = $"icosphere level {level} ({mesh.NodeCount:N0} nodes), first {columns} eigenvectors",
                ["held out"] = $"{series.HeldOutNodes.Length} nodes ({HeldOutNodeFraction:P0}) at every month; " +
                    $"months {string.Join(", ", months)}; {series.HeldOutCellCount} of " +
                    $"{temperature.LatitudeCount * temperature.LongitudeCount} grid cells " +
                    $"({HeldOutCellFraction:P0}, removed before regridding)",
                ["network"] = $"{settings}, time as one input column (days since 1970, scaled to [-1, 1])",
                ["model"] = $"{model.ParameterCount:N0} parameters, compression " +
                    $"{FieldMetrics.CompressionRatio((long)series.TimeCount * mesh.NodeCount, model.WeightBytes):G3} " +
                    "(the float32 node values represented over the weights' bytes)",
                ["stopped"] = $"{outcome.StopReason} after {outcome.Steps} steps",
            },
            [
                "training pairs: training nodes at training months, against the regridded values fitted. held-out " +
                "nodes: at training months; baseline the mean of each node's training neighbours. held-out " +
                "months: the training nodes; baseline each node's training values interpolated linearly in time " +
                "(real month lengths). held-out grid points: original cells never regridded, at training months, " +
                "through the interpolated embedding; baseline barycentric interpolation of the training nodes.",
                "Each baseline is scored on exactly the values the network is scored on.",
            ],
            outcome.Device, clock.Elapsed.TotalSeconds, DateTimeOffset.UtcNow);
    }

    private static (string Column, double Value, string Format)[] Cells(FieldScore model, FieldScore? baseline)
    {
        var cells = new List<(string, double, string)>
        {
            ("values", model.Count, "N0"),
            ("R² GINR", model.RSquared, "F4"),
            ("RMSE GINR", model.Rmse, "F3"),
            ("MAE GINR", model.Mae, "F3"),
        };
        if (baseline is not null)
        {
            cells.Add(("R² baseline", baseline.RSquared, "F4"));
            cells.Add(("RMSE baseline", baseline.Rmse, "F3"));
            cells.Add(("MAE baseline", baseline.Mae, "F3"));
        }

        return [.. cells];
    }
}
