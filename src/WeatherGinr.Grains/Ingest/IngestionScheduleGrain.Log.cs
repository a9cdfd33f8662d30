using Microsoft.Extensions.Logging;

namespace WeatherGinr.Grains.Ingest;

public sealed partial class IngestionScheduleGrain
{
    [LoggerMessage(EventId = LogEvents.ScheduleConfigured, Level = LogLevel.Information,
        Message = "Dataset {Dataset} now scans {Source} on cron '{CronExpression}' (UTC)")]
    private static partial void LogScheduleConfigured(ILogger logger, string dataset, string source,
        string cronExpression);

    [LoggerMessage(EventId = LogEvents.ScheduleDisabled, Level = LogLevel.Information,
        Message = "Dataset {Dataset} no longer scans on a schedule")]
    private static partial void LogScheduleDisabled(ILogger logger, string dataset);

    [LoggerMessage(EventId = LogEvents.ScanDue, Level = LogLevel.Debug,
        Message = "Scheduled scan of dataset {Dataset} due at {DueUtc}")]
    private static partial void LogScanDue(ILogger logger, string dataset, DateTimeOffset dueUtc);
}
