using Microsoft.Extensions.Logging;

namespace WeatherGinr.Grains.Serving;

public sealed partial class ModelGrain
{
    [LoggerMessage(EventId = LogEvents.ModelLoaded, Level = LogLevel.Information,
        Message = "Model {ModelId} loaded from {CheckpointPath}")]
    private static partial void LogModelLoaded(ILogger logger, string modelId, string checkpointPath);

    [LoggerMessage(EventId = LogEvents.GridExported, Level = LogLevel.Information,
        Message = "Model {ModelId} exported {Rows} rows to {Path} in {Seconds:F1} s")]
    private static partial void LogGridExported(ILogger logger, string modelId, string path, long rows, double seconds);
}
