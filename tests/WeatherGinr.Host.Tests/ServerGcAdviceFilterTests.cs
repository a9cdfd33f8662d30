using Microsoft.Extensions.Logging;

namespace WeatherGinr.Host.Tests;

public sealed class ServerGcAdviceFilterTests
{
    [Fact]
    public void OnlyTheSilosServerGcAdviceIsDropped()
    {
        var console = new RecordingLoggerProvider();
        using var filter = new ServerGcAdviceFilter(console);
        var silo = filter.CreateLogger(ServerGcAdviceFilter.SiloCategory);
        var other = filter.CreateLogger("Orleans.Runtime.Catalog");

        silo.Log(LogLevel.Warning, new EventId(ServerGcAdviceFilter.SiloGcWarning), "Note: Silo not running with "
            + "ServerGC turned on", null, (state, _) => state);
        silo.Log(LogLevel.Warning, new EventId(100418), "Silo shutdown completed (non-graceful).", null,
            (state, _) => state);
        silo.Log(LogLevel.Error, new EventId(ServerGcAdviceFilter.SiloGcWarning), "an error with that id", null,
            (state, _) => state);
        other.Log(LogLevel.Warning, new EventId(ServerGcAdviceFilter.SiloGcWarning), "another category", null,
            (state, _) => state);

        Assert.Equal(["Silo shutdown completed (non-graceful).", "an error with that id", "another category"],
            console.Messages);
    }
}
