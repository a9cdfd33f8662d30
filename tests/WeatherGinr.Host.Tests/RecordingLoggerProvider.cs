using Microsoft.Extensions.Logging;

namespace WeatherGinr.Host.Tests;

/// <summary>Keeps every message logged through it; several threads may log at once (a running host does).</summary>
internal sealed class RecordingLoggerProvider : ILoggerProvider
{
    private readonly List<LogEntry> entries = [];

    /// <summary>The formatted messages, in order.</summary>
    internal List<string> Messages
    {
        get
        {
            lock (entries)
            {
                return entries.Select(e => e.Message).ToList();
            }
        }
    }

    /// <summary>Every entry with its level, category and exception, in order.</summary>
    internal IReadOnlyList<LogEntry> Entries
    {
        get
        {
            lock (entries)
            {
                return entries.ToArray();
            }
        }
    }

    public ILogger CreateLogger(string categoryName) => new Recorder(entries, categoryName);

    public void Dispose()
    {
    }

    internal sealed record LogEntry(LogLevel Level, string Category, string Message, Exception? Exception);

    private sealed class Recorder(List<LogEntry> entries, string category) : ILogger
    {
        public IDisposable? BeginScope<TState>(TState state)
            where TState : notnull => null;

        public bool IsEnabled(LogLevel logLevel) => true;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception,
            Func<TState, Exception?, string> formatter)
        {
            lock (entries)
            {
                entries.Add(new LogEntry(logLevel, category, formatter(state, exception), exception));
            }
        }
    }
}
