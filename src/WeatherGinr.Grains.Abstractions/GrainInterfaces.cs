using Orleans.Concurrency;

namespace WeatherGinr.Grains.Abstractions;

/// <summary>
/// A named dataset and the source files it holds (key: dataset name). Ingestion is idempotent: a file
/// is identified by the SHA-256 of its bytes and ingesting it again changes nothing. A bad file is
/// reported in <see cref="IngestReport.Failures"/> and the rest of the batch goes on. Stored state is
/// replaced atomically, so readers see the old dataset or the new one, never half of one.
/// </summary>
public interface IDatasetGrain : IGrainWithStringKey
{
    Task<IngestReport> Ingest(IngestRequest request);

    Task<DatasetSummary> Describe();
}

/// <summary>
/// The one spectral embedding of a mesh (key: <c>ico{level}-k{columns}</c>). Concurrent callers wait
/// for a single computation; the result is cached on shared storage and every worker reads those bytes.
/// </summary>
public interface IEmbeddingGrain : IGrainWithStringKey
{
    /// <summary>
    /// The embedding, computed now or read from the cache. Cancelling <paramref name="cancellationToken"/> stops a
    /// computation this call started within one filter step and stores nothing; callers queued behind it then
    /// compute it themselves.
    /// </summary>
    Task<EmbeddingDescriptor> Ensure(CancellationToken cancellationToken = default);
}

/// <summary>
/// A training run (key: run id). <see cref="Start"/> splits the dataset into jobs, one per group of
/// variables sharing a time axis, hands them to workers and returns at once; workers report back.
/// A job whose worker's silo leaves the cluster (declared dead, or shut down while the job ran) is handed to a
/// new worker, started afresh, at most <c>TrainingRunGrain.MaxAttempts</c> times in all.
/// </summary>
public interface ITrainingRunGrain : IGrainWithStringKey
{
    Task<TrainingRunStatus> Start(TrainingRunRequest request);

    Task<TrainingRunStatus> GetStatus();

    Task ReportProgress(JobStatus status);

    /// <summary>
    /// A worker that stops before its job is done (its activation is going away, as when its silo shuts down)
    /// says so; the run hands the job to another worker. Ignored for an attempt the run no longer waits for.
    /// </summary>
    Task ReportInterrupted(string jobId, int attempt, string reason);
}

/// <summary>
/// Trains one job (key: job id). Placed on silos with an accelerator where there are any. Accepting a
/// job returns at once; training runs off the grain scheduler and progress goes to the run grain.
/// </summary>
public interface ITrainingWorkerGrain : IGrainWithStringKey
{
    /// <summary>Takes the job (a second delivery of the same job is a no-op) and returns the silo it runs on.</summary>
    Task<SiloAddress> Accept(TrainingJob job);
}

/// <summary>
/// A trained model that answers queries (key: model id). The first call loads the checkpoint and
/// the embedding; later calls reuse them. Reads interleave: a point query does not wait for a large grid
/// export or map that is already running on the same model; <see cref="Register"/> waits for none of them
/// to start and retires the loaded network once its last reader has finished.
/// </summary>
public interface IModelGrain : IGrainWithStringKey
{
    Task Register(ModelDescriptor descriptor);

    [AlwaysInterleave]
    Task<ModelDescriptor> Describe();

    /// <summary>Values at the points; cancelled at the next chunk of 16,384 points when the caller gives up.</summary>
    [AlwaysInterleave]
    Task<IReadOnlyList<PointValues>> Query(IReadOnlyList<PointQuery> points,
        CancellationToken cancellationToken = default);

    /// <summary>Writes the grid as Parquet; cancelled like <see cref="Query"/>, leaving no file behind.</summary>
    [AlwaysInterleave]
    Task<GridExportResult> ExportGrid(GridExportRequest request, CancellationToken cancellationToken = default);

    /// <summary>Writes one PNG per variable and returns their paths.</summary>
    [AlwaysInterleave]
    Task<IReadOnlyList<string>> RenderMaps(MapRequest request);
}

/// <summary>Lists the models this cluster knows (single key 0).</summary>
public interface IModelCatalogGrain : IGrainWithIntegerKey
{
    Task<IReadOnlyList<string>> List();
}

/// <summary>
/// Scheduled ingestion of one dataset (key: dataset name). <see cref="Configure"/> stores the source and
/// a 5-field cron expression (UTC) and registers a reminder that ticks every minute; a tick scans the
/// source when a cron occurrence has passed since the last check (missed occurrences coalesce into one
/// scan). Scans go through the dataset grain, so they are idempotent, and bad files are moved aside.
/// </summary>
public interface IIngestionScheduleGrain : IGrainWithStringKey
{
    /// <exception cref="ArgumentException">
    /// The cron expression does not parse, or the source does not exist.
    /// </exception>
    Task<IngestionScheduleStatus> Configure(IngestionScheduleRequest request);

    /// <summary>Stops the schedule and unregisters the reminder; the dataset is untouched.</summary>
    Task<IngestionScheduleStatus> Disable();

    Task<IngestionScheduleStatus> GetStatus();

    /// <summary>
    /// What a reminder tick does at <paramref name="nowUtc"/>: scans when a cron occurrence lies in
    /// (last check, now], and returns the scan's report; returns null when nothing was due.
    /// </summary>
    Task<IngestScanReport?> RunDue(DateTimeOffset nowUtc);
}
