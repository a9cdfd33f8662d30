using Microsoft.Extensions.Logging;

namespace WeatherGinr.Grains.Ingest;

public sealed partial class DatasetGrain
{
    [LoggerMessage(EventId = LogEvents.FileIngested, Level = LogLevel.Information,
        Message = "Ingested {Path} into dataset {Dataset}: {Variables}")]
    private static partial void LogFileIngested(ILogger logger, string path, string dataset, string variables);

    [LoggerMessage(EventId = LogEvents.FileUnchanged, Level = LogLevel.Debug,
        Message = "File {Path} is already held by dataset {Dataset}; nothing changed")]
    private static partial void LogFileUnchanged(ILogger logger, string path, string dataset);

    [LoggerMessage(EventId = LogEvents.FileRejected, Level = LogLevel.Warning,
        Message = "Rejected {Path} for dataset {Dataset}: {Reason}")]
    private static partial void LogFileRejected(ILogger logger, string path, string dataset, string reason);

    [LoggerMessage(EventId = LogEvents.DatasetCommitted, Level = LogLevel.Information,
        Message = "Dataset {Dataset} is now at version {Version} with {VariableCount} variables")]
    private static partial void LogDatasetCommitted(ILogger logger, string dataset, int version, int variableCount);

    [LoggerMessage(EventId = LogEvents.CommitFailed, Level = LogLevel.Error,
        Message = "Dataset {Dataset} could not commit version {Version}; the previous version stays: {Error}")]
    private static partial void LogCommitFailed(ILogger logger, string dataset, int version, string error);

    [LoggerMessage(EventId = LogEvents.StaleTemporariesRemoved, Level = LogLevel.Information,
        Message = "Removed {Count} temporary files that an interrupted write left in dataset {Dataset}")]
    private static partial void LogStaleTemporariesRemoved(ILogger logger, int count, string dataset);

    [LoggerMessage(EventId = LogEvents.WaitingForWriteLock, Level = LogLevel.Warning,
        Message = "Dataset {Dataset} is being written by another process; waiting for it, up to {Seconds} s")]
    private static partial void LogWaitingForWriteLock(ILogger logger, string dataset, double seconds);
}
