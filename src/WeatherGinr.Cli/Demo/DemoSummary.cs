using WeatherGinr.Grains.Abstractions;

namespace WeatherGinr.Cli.Demo;

/// <summary>The machine-readable account of one demo run (printed by <c>--json</c>).</summary>
public sealed record DemoSummary(
    string DataFolder,
    IReadOnlyList<IngestSummary> Datasets,
    EmbeddingDescriptorSummary Embedding,
    IReadOnlyList<ModelSummary> Models,
    double ElapsedSeconds)
{
    public QuerySummary? Query { get; init; }
}

public sealed record IngestSummary(string Dataset, IReadOnlyList<string> Files, int Added, int Unchanged,
    IReadOnlyList<string> Variables);

public sealed record EmbeddingDescriptorSummary(string Id, int MeshLevel, int Columns, int NodeCount, bool FromCache,
    double Seconds, double MaxRelativeResidual, string CachePath);

public sealed record ModelSummary(
    string ModelId,
    IReadOnlyList<string> Variables,
    string Device,
    double TrainingSeconds,
    int Steps,
    long ParameterCount,
    IReadOnlyList<VariableMetrics> Metrics,
    string CheckpointPath,
    IReadOnlyList<ExportSummary> Exports,
    IReadOnlyList<string> Maps)
{
    /// <summary>A time inside the model's training window, for the query examples the demo prints and runs.</summary>
    public DateTimeOffset ExampleTimeUtc { get; init; }

    /// <summary>
    /// A place the model has data for, for the same examples: London on a global grid, else the middle of the
    /// first variable's grid (a regional model answers null outside its grid).
    /// </summary>
    [System.Text.Json.Serialization.JsonIgnore]
    public (double Latitude, double Longitude) ExamplePoint { get; init; } = (51.5, -0.13);

    /// <summary>A window for the grid example: Europe on a global grid, else the first variable's grid.</summary>
    [System.Text.Json.Serialization.JsonIgnore]
    public (double South, double North, double West, double East) ExampleWindow { get; init; } = (35, 70, -10, 30);
}

public sealed record ExportSummary(string Path, DateTimeOffset TimeUtc, bool ObservedTime, int LatitudeCount,
    int LongitudeCount, long Rows);

public sealed record QuerySummary(string Url, int StatusCode, string Response);
