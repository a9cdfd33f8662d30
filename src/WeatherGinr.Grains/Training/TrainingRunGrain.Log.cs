using Microsoft.Extensions.Logging;
using WeatherGinr.Grains.Abstractions;

namespace WeatherGinr.Grains.Training;

public sealed partial class TrainingRunGrain
{
    [LoggerMessage(EventId = LogEvents.RunStarted, Level = LogLevel.Information,
        Message = "Run {RunId} started on dataset {Dataset}: {JobCount} jobs on embedding {EmbeddingId}")]
    private static partial void LogRunStarted(ILogger logger, string runId, string dataset, int jobCount,
        string embeddingId);

    [LoggerMessage(EventId = LogEvents.JobDispatched, Level = LogLevel.Debug,
        Message = "Job {JobId} of run {RunId} (attempt {Attempt}) handed to a worker on silo {Silo}")]
    private static partial void LogJobDispatched(ILogger logger, string jobId, string runId, int attempt, string silo);

    [LoggerMessage(EventId = LogEvents.JobRedispatched, Level = LogLevel.Warning,
        Message = "Job {JobId} of run {RunId} goes to a new worker (attempt {Attempt}): {Reason}")]
    private static partial void LogJobRedispatched(ILogger logger, string jobId, string runId, int attempt,
        string reason);

    [LoggerMessage(EventId = LogEvents.JobInterrupted, Level = LogLevel.Information,
        Message = "Job {JobId} of run {RunId}: worker of attempt {Attempt} interrupted ({Reason})")]
    private static partial void LogJobInterrupted(ILogger logger, string jobId, string runId, int attempt,
        string reason);

    [LoggerMessage(EventId = LogEvents.JobGivenUp, Level = LogLevel.Error,
        Message = "Job {JobId} of run {RunId} failed after {Attempts} attempts: {Reason}")]
    private static partial void LogJobGivenUp(ILogger logger, string jobId, string runId, int attempts, string reason);

    [LoggerMessage(EventId = LogEvents.RunResumed, Level = LogLevel.Warning,
        Message = "Run {RunId} resumed from its state file with {Unfinished} unfinished jobs")]
    private static partial void LogRunResumed(ILogger logger, string runId, int unfinished);

    [LoggerMessage(EventId = LogEvents.RunResumed, Level = LogLevel.Warning,
        Message = "Run {RunId}: its state file {Path} cannot be read; the run starts afresh when started again")]
    private static partial void LogStateUnreadable(ILogger logger, Exception exception, string runId, string path);

    [LoggerMessage(EventId = LogEvents.RunFinished, Level = LogLevel.Information,
        Message = "Run {RunId} finished: {State}")]
    private static partial void LogRunFinished(ILogger logger, string runId, JobState state);

    [LoggerMessage(EventId = LogEvents.RunStateNotStored, Level = LogLevel.Warning,
        Message = "Run {RunId}: its state could not be stored at {Path} ({Reason}); the run goes on in memory and " +
            "would not survive the loss of its silo")]
    private static partial void LogRunStateNotStored(ILogger logger, string runId, string path, string reason);
}
