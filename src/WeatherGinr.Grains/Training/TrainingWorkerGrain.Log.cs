using Microsoft.Extensions.Logging;

namespace WeatherGinr.Grains.Training;

public sealed partial class TrainingWorkerGrain
{
    [LoggerMessage(EventId = LogEvents.JobStarted, Level = LogLevel.Information,
        Message = "Job {JobId} of run {RunId} started: {Variables} on {Device} at silo {Silo}")]
    private static partial void LogJobStarted(ILogger logger, string jobId, string runId, string variables,
        string device, string silo);

    [LoggerMessage(EventId = LogEvents.JobProgress, Level = LogLevel.Debug,
        Message = "Job {JobId} at step {Step} of {MaxSteps}, loss {Loss:G4}")]
    private static partial void LogJobProgress(ILogger logger, string jobId, int step, int maxSteps, double loss);

    [LoggerMessage(EventId = LogEvents.JobFinished, Level = LogLevel.Information,
        Message = "Job {JobId} finished after {Steps} steps in {Seconds:F1} s")]
    private static partial void LogJobFinished(ILogger logger, string jobId, int steps, double seconds);

    [LoggerMessage(EventId = LogEvents.JobInterrupted, Level = LogLevel.Warning,
        Message = "Job {JobId} interrupted before it finished: {Reason}")]
    private static partial void LogJobInterrupted(ILogger logger, string jobId, string reason);

    [LoggerMessage(EventId = LogEvents.JobInterrupted, Level = LogLevel.Warning,
        Message = "Job {JobId}: the run could not be told of the interruption")]
    private static partial void LogInterruptionNotDelivered(ILogger logger, Exception exception, string jobId);

    [LoggerMessage(EventId = LogEvents.JobFailed, Level = LogLevel.Information,
        Message = "Job {JobId} could not be trained (its input or settings): {Reason}")]
    private static partial void LogJobInputRefused(ILogger logger, string jobId, string reason);

    [LoggerMessage(EventId = LogEvents.JobFailed, Level = LogLevel.Error, Message = "Job {JobId} failed: {Reason}")]
    private static partial void LogJobFailed(ILogger logger, Exception exception, string jobId, string reason);

    [LoggerMessage(EventId = LogEvents.JobOutputsKept, Level = LogLevel.Warning,
        Message = "Job {JobId}: files of earlier trainings in {Folder} could not all be removed: {Reason}")]
    private static partial void LogEarlierOutputsKept(ILogger logger, string jobId, string folder, string reason);

    [LoggerMessage(EventId = LogEvents.JobFailed, Level = LogLevel.Error,
        Message = "Job {JobId} failed reading or writing its files: {Reason}")]
    private static partial void LogJobStorageFailed(ILogger logger, string jobId, string reason);
}
