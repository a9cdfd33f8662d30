namespace WeatherGinr.Cli.Experiments;

/// <summary>A column of an experiment's table: its name and the .NET format its numbers print with.</summary>
public sealed record ExperimentColumn(string Name, string Format);

/// <summary>One row of an experiment's table: a label (the signal or setting) and a number per column.</summary>
public sealed record ExperimentRow(string Label, IReadOnlyDictionary<string, double> Values)
{
    /// <summary>The value of a column, by name.</summary>
    public double this[string column] => Values.TryGetValue(column, out var value) ? value
        : throw new KeyNotFoundException(
            $"row '{Label}' has no column '{column}'; it has {string.Join(", ", Values.Keys)}");
}

/// <summary>
/// What an experiment measured: a table (one row per signal or setting), the settings it ran with,
/// and notes that say how to read it. Written as Markdown and JSON under <c>{data}/experiments/</c>.
/// </summary>
public sealed record ExperimentResult(
    string Name,
    string Title,
    bool Quick,
    string LabelColumn,
    IReadOnlyList<ExperimentColumn> Columns,
    IReadOnlyList<ExperimentRow> Rows,
    IReadOnlyDictionary<string, string> Settings,
    IReadOnlyList<string> Notes,
    string Device,
    double Seconds,
    DateTimeOffset FinishedUtc)
{
    /// <summary>The row with a label.</summary>
    public ExperimentRow Row(string label) => Rows.FirstOrDefault(r => r.Label == label)
        ?? throw new KeyNotFoundException($"experiment '{Name}' has no row '{label}'; it has " +
            string.Join(", ", Rows.Select(r => r.Label)));
}
