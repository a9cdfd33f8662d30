using Microsoft.Extensions.Logging;
using WeatherGinr.Grains.Abstractions;

namespace WeatherGinr.Grains.Ingest;

/// <summary>
/// One pass over an <see cref="IIngestSource"/> into a dataset: list the candidates, hand them to the
/// dataset grain in one batch (idempotent by content hash, atomic commit), then move every refused file
/// aside with its reason. The schedule grain and <c>weatherginr ingest --once</c> both run this.
/// </summary>
public static partial class IngestScan
{
    /// <summary>
    /// Never throws for a bad source or a failed commit: those end in a report with <c>Error</c> set.
    /// </summary>
    public static async Task<IngestScanReport> RunAsync(IIngestSource source, IGrainFactory grains, string dataset,
        string stagingFolder, ILogger logger, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(source);
        ArgumentNullException.ThrowIfNull(grains);
        ArgumentException.ThrowIfNullOrWhiteSpace(dataset);
        ArgumentNullException.ThrowIfNull(logger);
        var started = DateTimeOffset.UtcNow;
        var datasetGrain = grains.GetGrain<IDatasetGrain>(dataset);

        IReadOnlyList<IngestCandidate> candidates;
        try
        {
            candidates = await source.ListCandidatesAsync(cancellationToken);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return await Failed(logger, source, datasetGrain, dataset, started,
                $"source '{source.Location}' cannot be read: {e.Message}");
        }

        // Candidates become local paths the dataset grain reads; a fetch that fails may be transient, so
        // that file is reported but not moved aside.
        var offered = new List<(string LocalPath, IngestCandidate Candidate)>();
        var rejected = new List<RejectedFile>();
        foreach (var candidate in candidates)
        {
            if (candidate.Refusal is { } refusal)
            {
                rejected.Add(await MoveAside(source, candidate, refusal, logger, cancellationToken));
                continue;
            }

            try
            {
                var local = await source.GetLocalPathAsync(candidate, stagingFolder, cancellationToken);
                offered.Add((Path.GetFullPath(local), candidate));
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                rejected.Add(new RejectedFile(candidate.Location, $"could not be fetched: {e.Message}", null));
            }
        }

        IngestReport report;
        try
        {
            report = offered.Count == 0
                ? new IngestReport([], [], [], await datasetGrain.Describe())
                : await datasetGrain.Ingest(new IngestRequest(offered.Select(o => o.LocalPath).ToList()));
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            return await Failed(logger, source, datasetGrain, dataset, started,
                $"dataset '{dataset}' could not ingest: {e.Message}");
        }
        finally
        {
            DeleteStagedCopies(offered);
        }

        foreach (var failure in report.Failures)
        {
            var candidate = offered.FirstOrDefault(o => o.LocalPath == Path.GetFullPath(failure.Path)).Candidate;

            // A file read in place that is gone now was taken by another scan of the same folder (moved aside or
            // ingested there, under the dataset's lock): not this scan's failure, and nothing left to move.
            if (candidate is not null && Path.GetFullPath(candidate.Location) == Path.GetFullPath(failure.Path)
                && !File.Exists(failure.Path))
            {
                LogFileGone(logger, candidate.Location, dataset);
                continue;
            }

            rejected.Add(candidate is null
                ? new RejectedFile(failure.Path, failure.Reason, null)
                : await MoveAside(source, candidate, failure.Reason, logger, cancellationToken));
        }

        var scan = new IngestScanReport(dataset, source.Location, started, DateTimeOffset.UtcNow, report.Added,
            report.Unchanged, rejected, report.Dataset.Version, Error: null);
        LogScanFinished(logger, source.Location, dataset, scan.Added.Count, scan.Unchanged.Count, scan.Rejected.Count,
            report.Dataset.Version);
        return scan;
    }

    private static async Task<RejectedFile> MoveAside(IIngestSource source, IngestCandidate candidate, string reason,
        ILogger logger, CancellationToken cancellationToken)
    {
        try
        {
            var movedTo = await source.RejectAsync(candidate, reason, cancellationToken);
            LogFileMovedAside(logger, candidate.Location, movedTo, reason);
            return new RejectedFile(candidate.Location, reason, movedTo);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return new RejectedFile(candidate.Location, $"{reason} (could not be moved aside: {e.Message})", null);
        }
    }

    private static void DeleteStagedCopies(List<(string LocalPath, IngestCandidate Candidate)> offered)
    {
        foreach (var (local, candidate) in offered)
        {
            if (local != Path.GetFullPath(candidate.Location) && File.Exists(local))
            {
                File.Delete(local);
            }
        }
    }

    /// <summary>A scan that changed nothing; the version readers still see, when the dataset answers.</summary>
    private static async Task<IngestScanReport> Failed(ILogger logger, IIngestSource source, IDatasetGrain datasetGrain,
        string dataset, DateTimeOffset started, string error)
    {
        LogScanFailed(logger, source.Location, dataset, error);
        int? version;
        try
        {
            version = (await datasetGrain.Describe()).Version;
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            version = null;
        }

        return new IngestScanReport(dataset, source.Location, started, DateTimeOffset.UtcNow, [], [], [], version,
            error);
    }

    [LoggerMessage(EventId = LogEvents.ScanFinished, Level = LogLevel.Information,
        Message = "Scanned {Source} for dataset {Dataset}: {Added} added, {Unchanged} unchanged, {Rejected} " +
            "rejected; dataset version {Version}")]
    private static partial void LogScanFinished(ILogger logger, string source, string dataset, int added,
        int unchanged, int rejected, int version);

    [LoggerMessage(EventId = LogEvents.FileMovedAside, Level = LogLevel.Warning,
        Message = "Moved refused file {Path} to {MovedTo}: {Reason}")]
    private static partial void LogFileMovedAside(ILogger logger, string path, string movedTo, string reason);

    [LoggerMessage(EventId = LogEvents.FileGone, Level = LogLevel.Information,
        Message = "{Path} went while dataset {Dataset} was being scanned (another scan of the folder took it)")]
    private static partial void LogFileGone(ILogger logger, string path, string dataset);

    [LoggerMessage(EventId = LogEvents.ScanFailed, Level = LogLevel.Error,
        Message = "Scan of {Source} for dataset {Dataset} failed: {Error}")]
    private static partial void LogScanFailed(ILogger logger, string source, string dataset, string error);
}
