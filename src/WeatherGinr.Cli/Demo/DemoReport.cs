using System.Globalization;
using Spectre.Console;
using WeatherGinr.Grains.Abstractions;

namespace WeatherGinr.Cli.Demo;

/// <summary>
/// The demo's result tables per model: fit and spatial generalisation per variable beside linear
/// interpolation in space, then temporal generalisation beside linear interpolation in time.
/// </summary>
public static class DemoReport
{
    public static void Write(IAnsiConsole console, DemoSummary summary)
    {
        ArgumentNullException.ThrowIfNull(console);
        ArgumentNullException.ThrowIfNull(summary);
        foreach (var model in summary.Models)
        {
            console.Write(SpaceTable(model));
            if (TimeTable(model) is { } time)
            {
                // The dates go on a line of their own: a table wraps its title to the table's width.
                console.Write(time);
                console.MarkupLine($"  held-out time steps: {Markup.Escape(HeldOutSteps(model))}");
            }
        }

        console.MarkupLine("[grey]train: the network on the icosphere nodes it was fitted to. " +
            "held-out: original grid " +
            "points removed before regridding, queried through the interpolated embedding. baseline: linear " +
            "(barycentric) interpolation of the training nodes' values at the same held-out points.[/]");
        if (summary.Models.Any(m => TimeTable(m) is not null))
        {
            console.MarkupLine("[grey]held-out steps: time steps removed before training, scored at the training " +
                "nodes; baseline: each node's values interpolated linearly in time between the training steps on " +
                "either side.[/]");
        }
    }

    private static Table SpaceTable(ModelSummary model)
    {
        var table = new Table().Border(TableBorder.Rounded)
            .Title($"[bold]{Markup.Escape(model.ModelId)}[/] ({model.Steps} steps, {model.TrainingSeconds:F0} s on " +
                $"{Markup.Escape(model.Device)}, {model.ParameterCount:N0} parameters)");
        table.AddColumns("variable", "units", "train R²", "train RMSE", "held-out R²", "held-out RMSE",
            "baseline R²", "baseline RMSE", "held-out n");
        foreach (var m in model.Metrics)
        {
            table.AddRow(m.Variable, m.Units, R2(m.TrainingNodes), Rmse(m.TrainingNodes), R2(m.HeldOutGridPoints),
                Rmse(m.HeldOutGridPoints), R2(m.BaselineHeldOutGridPoints), Rmse(m.BaselineHeldOutGridPoints),
                Count(m.HeldOutGridPoints));
        }

        return table;
    }

    /// <summary>Temporal super-resolution; null when no model variable had a held-out step.</summary>
    private static Table? TimeTable(ModelSummary model)
    {
        var scored = model.Metrics.Where(m => m.HeldOutTimeSteps is { Count: > 0 }).ToArray();
        if (scored.Length == 0)
        {
            return null;
        }

        var table = new Table().Border(TableBorder.Rounded)
            .Title($"[bold]{Markup.Escape(model.ModelId)}[/]: held-out time steps");
        table.AddColumns("variable", "units", "held-out R²", "held-out RMSE", "linear-in-time R²",
            "linear-in-time RMSE", "n");
        foreach (var m in scored)
        {
            var baseline = m.BaselineHeldOutTimeSteps ?? Empty;
            table.AddRow(m.Variable, m.Units, R2(m.HeldOutTimeSteps!), Rmse(m.HeldOutTimeSteps!), R2(baseline),
                Rmse(baseline), Count(m.HeldOutTimeSteps!));
        }

        return table;
    }

    private static string HeldOutSteps(ModelSummary model)
    {
        // Dates alone, unless two held-out steps share a date (hourly data): then the hour too.
        var times = model.Metrics.FirstOrDefault(m => m.HeldOutTimeSteps is { Count: > 0 })?.HeldOutTimesUtc ?? [];
        var format = times.Select(t => t.UtcDateTime.Date).Distinct().Count() == times.Count
            ? "yyyy-MM-dd" : "yyyy-MM-dd HH:mm";
        return string.Join(", ", times.Select(t => t.UtcDateTime.ToString(format, CultureInfo.InvariantCulture)));
    }

    private static readonly FitScore Empty = new(0, double.NaN, double.NaN, double.NaN);

    private static string R2(FitScore s) =>
        s.Count == 0 ? "-" : s.RSquared.ToString("F4", CultureInfo.InvariantCulture);

    private static string Rmse(FitScore s) => s.Count == 0 ? "-" : s.Rmse.ToString("G4", CultureInfo.InvariantCulture);

    private static string Count(FitScore s) => s.Count.ToString("N0", CultureInfo.InvariantCulture);
}
