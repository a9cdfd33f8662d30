using System.Globalization;

namespace WeatherGinr.Cli.Experiments;

/// <summary>Builds an experiment's table row by row, keeping the columns in the order first seen.</summary>
public sealed class ExperimentTable(string labelColumn)
{
    private readonly List<ExperimentColumn> columns = [];
    private readonly List<ExperimentRow> rows = [];

    public string LabelColumn { get; } = labelColumn;

    public IReadOnlyList<ExperimentColumn> Columns => columns;

    /// <summary>The rows, each with every column (NaN where a row has no value).</summary>
    public IReadOnlyList<ExperimentRow> Rows => rows
        .Select(r => r with
        {
            Values = columns.ToDictionary(c => c.Name, c => r.Values.TryGetValue(c.Name, out var v) ? v : double.NaN),
        })
        .ToArray();

    /// <summary>Adds a row; each cell is (column, value, format), for example ("R² train", 0.9991, "F4").</summary>
    public void Add(string label, params (string Column, double Value, string Format)[] cells)
    {
        ArgumentNullException.ThrowIfNull(cells);
        foreach (var (column, _, format) in cells)
        {
            if (columns.All(c => c.Name != column))
            {
                columns.Add(new ExperimentColumn(column, format));
            }
        }

        rows.Add(new ExperimentRow(label, cells.ToDictionary(c => c.Column, c => c.Value)));
    }

    /// <summary>A number as its column prints it; NaN (not measured) prints as a dash.</summary>
    public static string Format(double value, string format) =>
        double.IsNaN(value) ? "-" : value.ToString(format, CultureInfo.InvariantCulture);
}
