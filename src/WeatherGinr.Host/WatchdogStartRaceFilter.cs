using System.Diagnostics;
using Microsoft.Extensions.Logging;

namespace WeatherGinr.Host;

/// <summary>
/// Passes every log message on except Orleans' watchdog warning "Participant check thread has not completed for
/// T" when T is longer than this process has been running, which no real stall can be.
/// </summary>
/// <remarks>
/// Orleans 10.4's <c>Watchdog.Start</c> starts its platform thread before it stamps the component thread's
/// start time; when the platform thread checks first, it measures from timestamp 0 and reports the machine's
/// uptime as a stall (seen here as "02:25:41" on a silo a second old, in two of three starts of
/// <c>serve</c>). Only that impossible report is dropped: a participant check that really stalls for longer
/// than twice its period, after the process has run that long, still shows, as do the watchdog's other
/// warnings.
/// </remarks>
[ProviderAlias("Console")]
internal sealed class WatchdogStartRaceFilter(ILoggerProvider inner, Func<TimeSpan> processAge)
    : ILoggerProvider, ISupportExternalScope
{
    internal const string WatchdogCategory = "Orleans.Runtime.Watchdog";

    internal const string ElapsedKey = "TimeSinceLastTick";

    private const string ParticipantStall = "Participant check thread has not completed";

    public WatchdogStartRaceFilter(ILoggerProvider inner)
        : this(inner, () => DateTime.Now - Process.GetCurrentProcess().StartTime)
    {
    }

    public ILogger CreateLogger(string categoryName)
    {
        var logger = inner.CreateLogger(categoryName);
        return categoryName == WatchdogCategory ? new WatchdogLogger(logger, processAge) : logger;
    }

    public void SetScopeProvider(IExternalScopeProvider scopeProvider) =>
        (inner as ISupportExternalScope)?.SetScopeProvider(scopeProvider);

    public void Dispose() => inner.Dispose();

    /// <summary>True for the participant-stall warning whose stall is longer than the process's age.</summary>
    internal static bool IsStartRace<TState>(LogLevel level, TState state, TimeSpan processAge)
    {
        if (level != LogLevel.Warning || state is not IReadOnlyList<KeyValuePair<string, object?>> values)
        {
            return false;
        }

        TimeSpan? elapsed = null;
        bool participantStall = false;
        foreach ((string key, object? value) in values)
        {
            if (key == ElapsedKey && value is TimeSpan span)
            {
                elapsed = span;
            }
            else if (key == "{OriginalFormat}" && value is string format)
            {
                participantStall = format.StartsWith(ParticipantStall, StringComparison.Ordinal);
            }
        }

        return participantStall && elapsed > processAge;
    }

    private sealed class WatchdogLogger(ILogger watchdog, Func<TimeSpan> processAge) : ILogger
    {
        public IDisposable? BeginScope<TState>(TState state)
            where TState : notnull => watchdog.BeginScope(state);

        public bool IsEnabled(LogLevel logLevel) => watchdog.IsEnabled(logLevel);

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception,
            Func<TState, Exception?, string> formatter)
        {
            if (IsStartRace(logLevel, state, processAge()))
            {
                return;
            }

            watchdog.Log(logLevel, eventId, state, exception, formatter);
        }
    }
}
