namespace WeatherGinr.Grains.Ingest;

/// <summary>
/// Event ids of ingestion scans and schedules, continuing the ingest range (1000s) of
/// <see cref="LogEvents"/>.
/// </summary>
internal static class IngestLogEvents
{
    public const int ScanFinished = 1010;
    public const int FileMovedAside = 1011;
    public const int ScanFailed = 1012;
    public const int ScheduleConfigured = 1013;
    public const int ScheduleDisabled = 1014;
    public const int ScanDue = 1015;
    public const int CommitFailed = 1016;
}
