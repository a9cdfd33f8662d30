using WeatherGinr.Grains.Abstractions;

namespace WeatherGinr.Grains.Ingest;

/// <summary>
/// What <see cref="IngestionScheduleGrain"/> keeps in grain storage, so a schedule survives reactivation.
/// </summary>
[GenerateSerializer, Alias("wginr.IngestionScheduleState")]
public sealed record IngestionScheduleState
{
    [Id(0)]
    public bool Enabled { get; init; }

    [Id(1)]
    public string? Source { get; init; }

    [Id(2)]
    public string? CronExpression { get; init; }

    /// <summary>The end of the last checked interval: occurrences at or before it have been served.</summary>
    [Id(3)]
    public DateTimeOffset? LastCheckedUtc { get; init; }

    [Id(4)]
    public IngestScanReport? LastScan { get; init; }
}
