using System.Globalization;
using Spectre.Console;
using WeatherGinr.Grains.Abstractions;

namespace WeatherGinr.Cli.Demo;

/// <summary>The demo's result tables: fit and generalisation per variable, beside the baseline.</summary>
public static class DemoReport
{
    public static void Write(IAnsiConsole console, DemoSummary summary)
    {
        ArgumentNullException.ThrowIfNull(console);
        ArgumentNullException.ThrowIfNull(summary);
        foreach (var model in summary.Models)
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
                    m.HeldOutGridPoints.Count.ToString("N0", CultureInfo.InvariantCulture));
            }

            console.Write(table);
        }

        console.MarkupLine("[grey]train: the network on the icosphere nodes it was fitted to. held-out: original grid " +
            "points removed before regridding, queried through the interpolated embedding. baseline: linear " +
            "(barycentric) interpolation of the training nodes' values at the same held-out points.[/]");
    }

    private static string R2(FitScore s) => s.Count == 0 ? "-" : s.RSquared.ToString("F4", CultureInfo.InvariantCulture);

    private static string Rmse(FitScore s) => s.Count == 0 ? "-" : s.Rmse.ToString("G4", CultureInfo.InvariantCulture);
}
