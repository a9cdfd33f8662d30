using Microsoft.Extensions.Logging;

namespace WeatherGinr.Host.Tests;


internal sealed class RecordingLoggerProvider : ILoggerProvider
{
    internal List<string> Messages { get; } = [];

    public ILogger CreateLogger(string categoryName) => new Recorder(Messages);

    public void Dispose()
    {
    }

    private sealed class Recorder(List<string> messages) : ILogger
    {
        public IDisposable? BeginScope<TState>(TState state)
            where TState : notnull => null;

        public bool IsEnabled(LogLevel logLevel) => true;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception,
            Func<TState, Exception?, string> formatter) => messages.Add(formatter(state, exception));
    }
}
