using Microsoft.Extensions.Logging;

namespace WeatherGinr.Host.Tests;

public sealed class WatchdogStartRaceFilterTests
{
    // The same template and argument name as Orleans' Watchdog (source-generated there, Define here: both give a
    // state listing the argument and "{OriginalFormat}").
    private static readonly Action<ILogger, TimeSpan, Exception?> ParticipantStall = LoggerMessage.Define<TimeSpan>(
        LogLevel.Warning, new EventId(100150), "Participant check thread has not completed for {TimeSinceLastTick}, "
        + "potentially indicating lock contention or deadlock, CPU starvation, or another execution anomaly.");

    private static readonly Action<ILogger, TimeSpan, Exception?> PlatformStall = LoggerMessage.Define<TimeSpan>(
        LogLevel.Warning, new EventId(100150), ".NET Runtime Platform stalled for {TimeSinceLastTick}.");

    [Fact]
    public void OnlyAParticipantStallLongerThanTheProcessHasLivedIsDropped()
    {
        var console = new RecordingLoggerProvider();
        var age = TimeSpan.FromSeconds(40);
        using var filter = new WatchdogStartRaceFilter(console, () => age);
        var watchdog = filter.CreateLogger(WatchdogStartRaceFilter.WatchdogCategory);
        var other = filter.CreateLogger("Orleans.Runtime.Catalog");

        ParticipantStall(watchdog, TimeSpan.FromHours(2.4), null); // the machine's uptime: dropped
        ParticipantStall(watchdog, TimeSpan.FromSeconds(39), null); // possible within 40 s: kept
        PlatformStall(watchdog, TimeSpan.FromHours(2.4), null); // another warning: kept
        ParticipantStall(other, TimeSpan.FromHours(2.4), null); // another category: kept

        Assert.Equal(4 - 1, console.Messages.Count);
        Assert.Contains("00:00:39", console.Messages[0], StringComparison.Ordinal);
        Assert.StartsWith(".NET Runtime Platform stalled for 02:24:00", console.Messages[1], StringComparison.Ordinal);
        Assert.StartsWith("Participant check thread has not completed for 02:24:00", console.Messages[2],
            StringComparison.Ordinal);
    }

    [Fact]
    public void TheDefaultProcessAgeIsThisProcesssRunTime()
    {
        var console = new RecordingLoggerProvider();
        using var filter = new WatchdogStartRaceFilter(console);
        var watchdog = filter.CreateLogger(WatchdogStartRaceFilter.WatchdogCategory);
        TimeSpan lived = DateTime.Now - System.Diagnostics.Process.GetCurrentProcess().StartTime;

        ParticipantStall(watchdog, lived + TimeSpan.FromDays(1), null);
        ParticipantStall(watchdog, TimeSpan.Zero, null);

        Assert.Equal(["Participant check thread has not completed for 00:00:00, potentially indicating lock "
            + "contention or deadlock, CPU starvation, or another execution anomaly."], console.Messages);
    }
}
