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

    // The problem names the model and the file.
    [LoggerMessage(EventId = LogEvents.ModelUnavailable, Level = LogLevel.Warning, Message = "{Problem}")]
    private static partial void LogModelUnavailable(ILogger logger, string problem);

    [LoggerMessage(EventId = LogEvents.ModelFilesChanged, Level = LogLevel.Information,
        Message = "Model {ModelId} reloads: its descriptor {DescriptorPath} or a file it names changed")]
    private static partial void LogModelFilesChanged(ILogger logger, string modelId, string descriptorPath);
}
