using Microsoft.Extensions.Logging;

namespace WeatherGinr.Host.Tests;

public sealed class FrameworkNoiseFilterTests
{
    // The same template and argument name as Orleans' Watchdog (source-generated there, Define here: both give a
    // state listing the argument and "{OriginalFormat}").
    private static readonly Action<ILogger, TimeSpan, Exception?> ParticipantStall = LoggerMessage.Define<TimeSpan>(
        LogLevel.Warning, new EventId(100150), "Participant check thread has not completed for {TimeSinceLastTick}, "
        + "potentially indicating lock contention or deadlock, CPU starvation, or another execution anomaly.");

    private static readonly Action<ILogger, TimeSpan, Exception?> PlatformStall = LoggerMessage.Define<TimeSpan>(
        LogLevel.Warning, new EventId(100150), ".NET Runtime Platform stalled for {TimeSinceLastTick}.");

    [Fact]
    public void OnlyTheSilosServerGcAdviceIsDropped()
    {
        var console = new RecordingLoggerProvider();
        using var filter = new FrameworkNoiseFilter(console);
        var silo = filter.CreateLogger(FrameworkNoiseFilter.SiloCategory);
        var other = filter.CreateLogger("Orleans.Runtime.Catalog");

        silo.Log(LogLevel.Warning, new EventId(FrameworkNoiseFilter.SiloGcWarning), "Note: Silo not running with "
            + "ServerGC turned on", null, (state, _) => state);
        silo.Log(LogLevel.Warning, new EventId(100418), "Silo shutdown completed (non-graceful).", null,
            (state, _) => state);
        silo.Log(LogLevel.Error, new EventId(FrameworkNoiseFilter.SiloGcWarning), "an error with that id", null,
            (state, _) => state);
        other.Log(LogLevel.Warning, new EventId(FrameworkNoiseFilter.SiloGcWarning), "another category", null,
            (state, _) => state);

        Assert.Equal(["Silo shutdown completed (non-graceful).", "an error with that id", "another category"],
            console.Messages);
    }

    [Fact]
    public void OnlyAParticipantStallLongerThanTheProcessHasLivedIsDropped()
    {
        var console = new RecordingLoggerProvider();
        using var filter = new FrameworkNoiseFilter(console, () => TimeSpan.FromSeconds(40));
        var watchdog = filter.CreateLogger(FrameworkNoiseFilter.WatchdogCategory);
        var other = filter.CreateLogger("Orleans.Runtime.Catalog");

        ParticipantStall(watchdog, TimeSpan.FromHours(2.4), null); // the machine's uptime: dropped
        ParticipantStall(watchdog, TimeSpan.FromSeconds(39), null); // possible within 40 s: kept
        PlatformStall(watchdog, TimeSpan.FromHours(2.4), null); // another warning: kept
        ParticipantStall(other, TimeSpan.FromHours(2.4), null); // another category: kept

        Assert.Equal(3, console.Messages.Count);
        Assert.Contains("00:00:39", console.Messages[0], StringComparison.Ordinal);
        Assert.StartsWith(".NET Runtime Platform stalled for 02:24:00", console.Messages[1], StringComparison.Ordinal);
        Assert.StartsWith("Participant check thread has not completed for 02:24:00", console.Messages[2],
            StringComparison.Ordinal);
    }

    [Fact]
    public void TheDefaultProcessAgeIsThisProcesssRunTime()
    {
        var console = new RecordingLoggerProvider();
        using var filter = new FrameworkNoiseFilter(console);
        var watchdog = filter.CreateLogger(FrameworkNoiseFilter.WatchdogCategory);
        TimeSpan lived = DateTime.Now - System.Diagnostics.Process.GetCurrentProcess().StartTime;

        ParticipantStall(watchdog, lived + TimeSpan.FromDays(1), null);
        ParticipantStall(watchdog, TimeSpan.Zero, null);

        Assert.Equal(["Participant check thread has not completed for 00:00:00, potentially indicating lock "
            + "contention or deadlock, CPU starvation, or another execution anomaly."], console.Messages);
    }
}
