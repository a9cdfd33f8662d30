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
        Message = "Job {JobId} of run {RunId} handed to a worker")]
    private static partial void LogJobDispatched(ILogger logger, string jobId, string runId);

    [LoggerMessage(EventId = LogEvents.RunFinished, Level = LogLevel.Information,
        Message = "Run {RunId} finished: {State}")]
    private static partial void LogRunFinished(ILogger logger, string runId, JobState state);
}
