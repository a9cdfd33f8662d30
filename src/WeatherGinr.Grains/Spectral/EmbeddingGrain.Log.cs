using Microsoft.Extensions.Logging;

namespace WeatherGinr.Grains.Spectral;

public sealed partial class EmbeddingGrain
{
    [LoggerMessage(EventId = LogEvents.EmbeddingComputing, Level = LogLevel.Information,
        Message = "Preparing the embedding of icosphere level {Level} with {Columns} columns")]
    private static partial void LogEmbeddingComputing(ILogger logger, int level, int columns);

    [LoggerMessage(EventId = LogEvents.EmbeddingReady, Level = LogLevel.Information,
        Message = "Embedding {EmbeddingId} ready (from cache: {FromCache}) in {Seconds:F1} s, " +
            "max residual {Residual:0.00e0}")]
    private static partial void LogEmbeddingReady(ILogger logger, string embeddingId, bool fromCache, double seconds,
        double residual);
}
