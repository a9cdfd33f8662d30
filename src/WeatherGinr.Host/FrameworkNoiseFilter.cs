using System.Diagnostics;
using Microsoft.Extensions.Logging;

namespace WeatherGinr.Host;

/// <summary>
/// Passes every log message on to the console except two framework warnings that are noise here, each
/// matched by category, level and event or message, so every other warning still shows.
/// </summary>
/// <remarks>
/// <para><b>Orleans' advice to turn on server GC</b> (event 100405 of <c>Orleans.Runtime.Silo</c>): that
/// advice is for a silo that owns its machine. This process is every <c>weatherginr</c> verb, from
/// <c>inspect</c> to <c>serve</c>, with TorchSharp's native threads beside the silo, on build machines of 2
/// cores shared with other jobs: server GC there would add a heap and a collector thread per core that compete
/// for the same cores (as spinning OpenMP threads did, see the README) and would change every benchmark this
/// product measures. A dedicated silo may still turn server GC on (<c>DOTNET_gcServer=1</c>); Orleans then
/// gives no advice. The same event id marks Orleans' warning about a verbose log level, which cannot occur
/// here: framework categories are held at Warning or above.</para>
/// <para><b>A watchdog stall longer than this process has run</b> ("Participant check thread has not
/// completed for T", <c>Orleans.Runtime.Watchdog</c>): Orleans 10.4's <c>Watchdog.Start</c> starts its
/// platform thread before it stamps the component thread's start time; when the platform thread checks first,
/// it measures from timestamp 0 and reports the machine's uptime (seen here as "02:25:41" on a silo a second
/// old, in two of three starts of <c>serve</c>). A real stall, once the process has run that long, still
/// shows.</para>
/// </remarks>
[ProviderAlias("Console")]
internal sealed class FrameworkNoiseFilter(ILoggerProvider console, Func<TimeSpan> processAge)
    : ILoggerProvider, ISupportExternalScope
{
    internal const string SiloCategory = "Orleans.Runtime.Silo";

    internal const string WatchdogCategory = "Orleans.Runtime.Watchdog";

    /// <summary>Orleans' <c>ErrorCode.SiloGcWarning</c>.</summary>
    internal const int SiloGcWarning = 100405;

    private const string ParticipantStall = "Participant check thread has not completed";

    public FrameworkNoiseFilter(ILoggerProvider console)
        : this(console, () => DateTime.Now - Process.GetCurrentProcess().StartTime)
    {
    }

    public ILogger CreateLogger(string categoryName)
    {
        var logger = console.CreateLogger(categoryName);
        return categoryName is SiloCategory or WatchdogCategory
            ? new Filtered(logger, categoryName, processAge)
            : logger;
    }

    public void SetScopeProvider(IExternalScopeProvider scopeProvider) =>
        (console as ISupportExternalScope)?.SetScopeProvider(scopeProvider);

    public void Dispose() => console.Dispose();

    /// <summary>True for the two warnings this filter drops (see the remarks).</summary>
    internal static bool IsNoise<TState>(
        string category, LogLevel level, EventId eventId, TState state, Func<TimeSpan> processAge)
    {
        if (level != LogLevel.Warning)
        {
            return false;
        }

        if (category == SiloCategory)
        {
            return eventId.Id == SiloGcWarning;
        }

        if (category != WatchdogCategory || state is not IReadOnlyList<KeyValuePair<string, object?>> values)
        {
            return false;
        }

        TimeSpan? elapsed = null;
        var participantStall = false;
        foreach ((string key, object? value) in values)
        {
            if (key == "TimeSinceLastTick" && value is TimeSpan span)
            {
                elapsed = span;
            }
            else if (key == "{OriginalFormat}" && value is string format)
            {
                participantStall = format.StartsWith(ParticipantStall, StringComparison.Ordinal);
            }
        }

        return participantStall && elapsed > processAge();
    }

    private sealed class Filtered(ILogger inner, string category, Func<TimeSpan> processAge) : ILogger
    {
        public IDisposable? BeginScope<TState>(TState state)
            where TState : notnull => inner.BeginScope(state);

        public bool IsEnabled(LogLevel logLevel) => inner.IsEnabled(logLevel);

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception,
            Func<TState, Exception?, string> formatter)
        {
            if (!IsNoise(category, logLevel, eventId, state, processAge))
            {
                inner.Log(logLevel, eventId, state, exception, formatter);
            }
        }
    }
}
