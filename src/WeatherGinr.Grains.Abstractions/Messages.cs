namespace WeatherGinr.Grains.Abstractions;

/// <summary>Files to ingest into a dataset. Paths are read by the silo that hosts the dataset grain.</summary>
[GenerateSerializer, Immutable, Alias("wginr.IngestRequest")]
public sealed record IngestRequest([property: Id(0)] IReadOnlyList<string> Paths);

/// <summary>One source file a dataset holds, identified by the SHA-256 of its bytes.</summary>
[GenerateSerializer, Immutable, Alias("wginr.IngestedFile")]
public sealed record IngestedFile(
    [property: Id(0)] string Path,
    [property: Id(1)] string Sha256,
    [property: Id(2)] IReadOnlyList<string> Variables,
    [property: Id(3)] DateTimeOffset IngestedAtUtc);

/// <summary>A file that could not be ingested, and why; the rest of the batch goes on.</summary>
[GenerateSerializer, Immutable, Alias("wginr.IngestFailure")]
public sealed record IngestFailure([property: Id(0)] string Path, [property: Id(1)] string Reason);

/// <summary>What one ingest call changed. Files already held (same content hash) are <c>Unchanged</c>.</summary>
[GenerateSerializer, Immutable, Alias("wginr.IngestReport")]
public sealed record IngestReport(
    [property: Id(0)] IReadOnlyList<IngestedFile> Added,
    [property: Id(1)] IReadOnlyList<IngestedFile> Unchanged,
    [property: Id(2)] IReadOnlyList<IngestFailure> Failures,
    [property: Id(3)] DatasetSummary Dataset);

/// <summary>One decoded variable a dataset holds on its native latitude-longitude grid.</summary>
[GenerateSerializer, Immutable, Alias("wginr.DatasetVariable")]
public sealed record DatasetVariable(
    [property: Id(0)] string Name,
    [property: Id(1)] string Quantity,
    [property: Id(2)] string Units,
    [property: Id(3)] int LatitudeCount,
    [property: Id(4)] int LongitudeCount,
    [property: Id(5)] int TimeCount,
    [property: Id(6)] DateTimeOffset FirstTimeUtc,
    [property: Id(7)] DateTimeOffset LastTimeUtc,
    [property: Id(8)] string StoragePath,
    [property: Id(9)] IReadOnlyList<DateTimeOffset> TimesUtc);

[GenerateSerializer, Immutable, Alias("wginr.DatasetSummary")]
public sealed record DatasetSummary(
    [property: Id(0)] string Name,
    [property: Id(1)] IReadOnlyList<IngestedFile> Files,
    [property: Id(2)] IReadOnlyList<DatasetVariable> Variables)
{
    /// <summary>
    /// The committed version readers see (0 before the first commit); unchanged when nothing was added.
    /// </summary>
    [Id(3)]
    public int Version { get; init; }
}

/// <summary>Where the one shared copy of an embedding lives, and how it was obtained.</summary>
[GenerateSerializer, Immutable, Alias("wginr.EmbeddingDescriptor")]
public sealed record EmbeddingDescriptor(
    [property: Id(0)] string Id,
    [property: Id(1)] int MeshLevel,
    [property: Id(2)] int Columns,
    [property: Id(3)] int NodeCount,
    [property: Id(4)] string CachePath,
    [property: Id(5)] bool FromCache,
    [property: Id(6)] double Seconds,
    [property: Id(7)] double MaxRelativeResidual,
    [property: Id(8)] IReadOnlyList<double> Eigenvalues);

/// <summary>How a training run is sized. Defaults fit a few minutes on 2 CPU cores.</summary>
[GenerateSerializer, Immutable, Alias("wginr.TrainingSettings")]
public sealed record TrainingSettings(
    [property: Id(0)] int Layers,
    [property: Id(1)] int Width,
    [property: Id(2)] string Activation,
    [property: Id(3)] double LearningRate,
    [property: Id(4)] int BatchSize,
    [property: Id(5)] int MaxSteps,
    [property: Id(6)] double TimeBudgetSeconds,
    [property: Id(7)] int Seed)
{
    /// <summary>
    /// Share of interior time steps (never the first or last) kept out of training to score temporal
    /// super-resolution, in [0, 1). Null: about one in six when the data have at least 6 steps, else none.
    /// </summary>
    [Id(8)]
    public double? HeldOutTimeFraction { get; init; }
}

/// <summary>A request to learn a dataset's variables on a mesh.</summary>
[GenerateSerializer, Immutable, Alias("wginr.TrainingRunRequest")]
public sealed record TrainingRunRequest(
    [property: Id(0)] string Dataset,
    [property: Id(1)] int MeshLevel,
    [property: Id(2)] int EmbeddingColumns,
    [property: Id(3)] double HeldOutFraction,
    [property: Id(4)] TrainingSettings Settings);

/// <summary>
/// One unit of work for a worker: the dataset variables that share one time axis, trained in one
/// network. <c>OutputFolder</c> is on storage every silo shares.
/// </summary>
[GenerateSerializer, Immutable, Alias("wginr.TrainingJob")]
public sealed record TrainingJob(
    [property: Id(0)] string RunId,
    [property: Id(1)] string JobId,
    [property: Id(2)] IReadOnlyList<DatasetVariable> Variables,
    [property: Id(3)] EmbeddingDescriptor Embedding,
    [property: Id(4)] double HeldOutFraction,
    [property: Id(5)] TrainingSettings Settings,
    [property: Id(6)] string OutputFolder)
{
    /// <summary>0 for the first dispatch; one more each time the run hands the job to a new worker.</summary>
    [Id(7)]
    public int Attempt { get; init; }

    /// <summary>
    /// Names one start of the run: a run started again under the same id (after the first finished) gets new
    /// workers, which train, rather than the first start's workers, which would only repeat their outcome.
    /// </summary>
    [Id(8)]
    public string StartId { get; init; } = "";
}

public enum JobState
{
    Pending,
    Running,
    Succeeded,
    Failed,
}

/// <summary>Goodness of fit of one variable on one evaluation set, in the variable's physical units.</summary>
[GenerateSerializer, Immutable, Alias("wginr.FitScore")]
public sealed record FitScore(
    [property: Id(0)] int Count,
    [property: Id(1)] double RSquared,
    [property: Id(2)] double Rmse,
    [property: Id(3)] double Mae);

/// <summary>
/// Scores of one variable: the model on its training nodes, the model on original grid points held
/// out of training, and the linear-interpolation baseline on the same held-out points; then the model
/// on time steps held out of training (at the training nodes) beside linear interpolation in time.
/// </summary>
[GenerateSerializer, Immutable, Alias("wginr.VariableMetrics")]
public sealed record VariableMetrics(
    [property: Id(0)] string Variable,
    [property: Id(1)] string Units,
    [property: Id(2)] FitScore TrainingNodes,
    [property: Id(3)] FitScore HeldOutGridPoints,
    [property: Id(4)] FitScore BaselineHeldOutGridPoints)
{
    /// <summary>
    /// The model at the training nodes on time steps held out of training, against the regridded values
    /// there; null when written by a version that did not score them, Count 0 when no step was held out.
    /// </summary>
    [Id(5)]
    public FitScore? HeldOutTimeSteps { get; init; }

    /// <summary>
    /// Linear interpolation in time, at each node, between the training steps on either side of each
    /// held-out step, on the same values as <see cref="HeldOutTimeSteps"/>.
    /// </summary>
    [Id(6)]
    public FitScore? BaselineHeldOutTimeSteps { get; init; }

    /// <summary>The time steps held out of training (empty when none; null from older versions).</summary>
    [Id(7)]
    public IReadOnlyList<DateTimeOffset>? HeldOutTimesUtc { get; init; }
}

[GenerateSerializer, Immutable, Alias("wginr.JobStatus")]
public sealed record JobStatus(
    [property: Id(0)] string JobId,
    [property: Id(1)] IReadOnlyList<string> Variables,
    [property: Id(2)] JobState State,
    [property: Id(3)] int Step,
    [property: Id(4)] int MaxSteps,
    [property: Id(5)] double Loss,
    [property: Id(6)] string? ModelId,
    [property: Id(7)] string? Error,
    [property: Id(8)] IReadOnlyList<VariableMetrics> Metrics,
    [property: Id(9)] string? Device,
    [property: Id(10)] double Seconds,
    [property: Id(11)] string? Silo)
{
    /// <summary>
    /// Which dispatch of the job this is (0 first); a job whose worker's silo was lost is dispatched again with
    /// the next number, and reports from an earlier attempt are ignored.
    /// </summary>
    [Id(12)]
    public int Attempt { get; init; }
}

[GenerateSerializer, Immutable, Alias("wginr.TrainingRunStatus")]
public sealed record TrainingRunStatus(
    [property: Id(0)] string RunId,
    [property: Id(1)] JobState State,
    [property: Id(2)] IReadOnlyList<JobStatus> Jobs);

/// <summary>A trained network and what it was trained on.</summary>
[GenerateSerializer, Immutable, Alias("wginr.ModelDescriptor")]
public sealed record ModelDescriptor(
    [property: Id(0)] string ModelId,
    [property: Id(1)] string CheckpointPath,
    [property: Id(2)] IReadOnlyList<DatasetVariable> Variables,
    [property: Id(3)] EmbeddingDescriptor Embedding,
    [property: Id(4)] DateTimeOffset FirstTimeUtc,
    [property: Id(5)] DateTimeOffset LastTimeUtc,
    [property: Id(6)] long ParameterCount,
    [property: Id(7)] IReadOnlyList<VariableMetrics> Metrics,
    [property: Id(8)] string? CoveragePath);

[GenerateSerializer, Immutable, Alias("wginr.PointQuery")]
public sealed record PointQuery(
    [property: Id(0)] double LatitudeDegrees,
    [property: Id(1)] double LongitudeDegrees,
    [property: Id(2)] DateTimeOffset TimeUtc);

/// <summary>Values of every variable of a model at one point, in the variables' units.</summary>
[GenerateSerializer, Immutable, Alias("wginr.PointValues")]
public sealed record PointValues(
    [property: Id(0)] PointQuery Point,
    [property: Id(1)] IReadOnlyList<double> Values);

/// <summary>A regular latitude-longitude window at one or more times, materialised as Parquet.</summary>
[GenerateSerializer, Immutable, Alias("wginr.GridExportRequest")]
public sealed record GridExportRequest(
    [property: Id(0)] double SouthDegrees,
    [property: Id(1)] double NorthDegrees,
    [property: Id(2)] double WestDegrees,
    [property: Id(3)] double EastDegrees,
    [property: Id(4)] double ResolutionDegrees,
    [property: Id(5)] IReadOnlyList<DateTimeOffset> TimesUtc,
    [property: Id(6)] string ParquetPath);

[GenerateSerializer, Immutable, Alias("wginr.GridExportResult")]
public sealed record GridExportResult(
    [property: Id(0)] string ParquetPath,
    [property: Id(1)] int LatitudeCount,
    [property: Id(2)] int LongitudeCount,
    [property: Id(3)] int TimeCount,
    [property: Id(4)] long Rows,
    [property: Id(5)] double Seconds);

/// <summary>
/// PNG maps of every variable at an observed time: the original grid, the model on that grid, and the
/// model on a finer grid, side by side on one colour scale.
/// </summary>
[GenerateSerializer, Immutable, Alias("wginr.MapRequest")]
public sealed record MapRequest(
    [property: Id(0)] DateTimeOffset TimeUtc,
    [property: Id(1)] double ResolutionDegrees,
    [property: Id(2)] string Folder);

/// <summary>
/// A file an ingestion scan refused, why, and where the source moved it (null when it was not moved).
/// </summary>
[GenerateSerializer, Immutable, Alias("wginr.RejectedFile")]
public sealed record RejectedFile(
    [property: Id(0)] string Path,
    [property: Id(1)] string Reason,
    [property: Id(2)] string? MovedTo);

/// <summary>How one ingestion scan ended; the CLI's exit codes follow it (0, 3, 1).</summary>
public enum IngestOutcome
{
    /// <summary>Nothing was refused: every new file was ingested, or there was nothing new.</summary>
    Succeeded,

    /// <summary>Some files were refused, and at least one new file was ingested.</summary>
    Partial,

    /// <summary>
    /// The source could not be read, the dataset could not commit, or files were refused and none ingested.
    /// </summary>
    Failed,
}

/// <summary>
/// What one scan of an ingestion source did to a dataset. <c>Error</c> is set when the scan could not run
/// at all (source unreadable, dataset commit failed); nothing was then moved aside. <c>DatasetVersion</c>
/// is the version readers see after the scan (null when the dataset could not be asked).
/// </summary>
[GenerateSerializer, Immutable, Alias("wginr.IngestScanReport")]
public sealed record IngestScanReport(
    [property: Id(0)] string Dataset,
    [property: Id(1)] string Source,
    [property: Id(2)] DateTimeOffset StartedAtUtc,
    [property: Id(3)] DateTimeOffset FinishedAtUtc,
    [property: Id(4)] IReadOnlyList<IngestedFile> Added,
    [property: Id(5)] IReadOnlyList<IngestedFile> Unchanged,
    [property: Id(6)] IReadOnlyList<RejectedFile> Rejected,
    [property: Id(7)] int? DatasetVersion,
    [property: Id(8)] string? Error)
{
    public IngestOutcome Outcome => Error is not null ? IngestOutcome.Failed
        : Rejected.Count == 0 ? IngestOutcome.Succeeded
        : Added.Count > 0 ? IngestOutcome.Partial
        : IngestOutcome.Failed;
}

/// <summary>
/// A scheduled ingestion: the source to scan (a drop folder path) and a 5-field cron expression
/// (minute hour day-of-month month day-of-week, evaluated in UTC).
/// </summary>
[GenerateSerializer, Immutable, Alias("wginr.IngestionScheduleRequest")]
public sealed record IngestionScheduleRequest(
    [property: Id(0)] string Source,
    [property: Id(1)] string CronExpression);

/// <summary>Where a dataset's ingestion schedule stands.</summary>
[GenerateSerializer, Immutable, Alias("wginr.IngestionScheduleStatus")]
public sealed record IngestionScheduleStatus(
    [property: Id(0)] string Dataset,
    [property: Id(1)] bool Enabled,
    [property: Id(2)] string? Source,
    [property: Id(3)] string? CronExpression,
    [property: Id(4)] DateTimeOffset? LastCheckedUtc,
    [property: Id(5)] DateTimeOffset? NextDueUtc,
    [property: Id(6)] bool ReminderRegistered,
    [property: Id(7)] IngestScanReport? LastScan);
