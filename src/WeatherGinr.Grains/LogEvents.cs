namespace WeatherGinr.Grains;

/// <summary>
/// Event ids of every log message, in numbered ranges: ingest 1000s, mesh 2000s, training 3000s,
/// serving 4000s, cluster 5000s.
/// </summary>
internal static class LogEvents
{
    public const int FileIngested = 1000;
    public const int FileUnchanged = 1001;
    public const int FileRejected = 1002;
    public const int DatasetCommitted = 1003;
    public const int ScanFinished = 1010;
    public const int FileMovedAside = 1011;
    public const int ScanFailed = 1012;
    public const int ScheduleConfigured = 1013;
    public const int ScheduleDisabled = 1014;
    public const int ScanDue = 1015;
    public const int CommitFailed = 1016;
    public const int StaleTemporariesRemoved = 1017;
    public const int FileGone = 1018;
    public const int WaitingForWriteLock = 1019;

    public const int EmbeddingComputing = 2000;
    public const int EmbeddingReady = 2001;

    public const int RunStarted = 3000;
    public const int JobDispatched = 3001;
    public const int JobStarted = 3002;
    public const int JobProgress = 3003;
    public const int JobFinished = 3004;
    public const int JobFailed = 3005;
    public const int RunFinished = 3006;
    public const int JobRedispatched = 3007;
    public const int JobInterrupted = 3008;
    public const int JobGivenUp = 3009;
    public const int RunResumed = 3010;
    public const int JobOutputsKept = 3011;
    public const int RunStateNotStored = 3012;

    public const int ModelLoaded = 4000;
    public const int GridExported = 4001;
    // 4002: the HTTP host's removal of abandoned grid answers (HttpExportFolder, in the host assembly).
    public const int ModelUnavailable = 4003;
    public const int ModelFilesChanged = 4004;

    public const int WorkerPlacementFallback = 5000;
}
