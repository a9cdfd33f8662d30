using Microsoft.Extensions.Logging;

namespace WeatherGinr.Host;

/// <summary>
/// Passes every log message on to the console except Orleans' start-up advice to turn on server garbage
/// collection (two warnings, event 100405 of <c>Orleans.Runtime.Silo</c>). That advice is for a silo that
/// owns its machine. This process is every <c>weatherginr</c> verb, from <c>inspect</c> to <c>serve</c>,
/// with TorchSharp's native threads beside the silo, on build machines of 2 cores shared with other jobs:
/// server GC there would add a heap and a collector thread per core that compete for the same cores (as
/// spinning OpenMP threads did, see the README) and would change every benchmark this product measures.
/// Workstation GC is the choice, so the advice is noise that users take for a fault. A dedicated silo may
/// still turn server GC on (<c>DOTNET_gcServer=1</c>); Orleans then gives no advice to filter.
/// </summary>
/// <remarks>
/// Filtering by level or category would also hide the silo's other warnings (a shutdown that was not
/// graceful), so only this event is dropped. The same event id marks Orleans' warning about a verbose
/// log level, which cannot occur here: framework categories are held at Warning or above.
/// </remarks>
[ProviderAlias("Console")]
internal sealed class ServerGcAdviceFilter(ILoggerProvider console) : ILoggerProvider, ISupportExternalScope
{
    internal const string SiloCategory = "Orleans.Runtime.Silo";

    /// <summary>Orleans' <c>ErrorCode.SiloGcWarning</c>.</summary>
    internal const int SiloGcWarning = 100405;

    public ILogger CreateLogger(string categoryName)
    {
        var logger = console.CreateLogger(categoryName);
        return categoryName == SiloCategory ? new SiloLogger(logger) : logger;
    }

    public void SetScopeProvider(IExternalScopeProvider scopeProvider) =>
        (console as ISupportExternalScope)?.SetScopeProvider(scopeProvider);

    public void Dispose() => console.Dispose();

    private sealed class SiloLogger(ILogger silo) : ILogger
    {
        public IDisposable? BeginScope<TState>(TState state)
            where TState : notnull => silo.BeginScope(state);

        public bool IsEnabled(LogLevel logLevel) => silo.IsEnabled(logLevel);

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception,
            Func<TState, Exception?, string> formatter)
        {
            if (logLevel == LogLevel.Warning && eventId.Id == SiloGcWarning)
            {
                return;
            }

            silo.Log(logLevel, eventId, state, exception, formatter);
        }
    }
}
