using Microsoft.Extensions.Logging;

namespace Focus.Analyzer.Streaming;

/// <summary>
/// Lends jobs' servers the parent's logging (its providers and filters) without the noise of a server per job:
/// ASP.NET Core's own categories (Kestrel, routing, gRPC) log warnings and up only.
/// </summary>
internal sealed class JobServerLoggerFactory(ILoggerFactory parent) : ILoggerFactory
{
    public ILogger CreateLogger(string categoryName)
    {
        var logger = parent.CreateLogger(categoryName);
        return categoryName.StartsWith("Microsoft.AspNetCore", StringComparison.Ordinal) ? new WarningsOnly(logger) : logger;
    }

    public void AddProvider(ILoggerProvider provider) =>
        throw new NotSupportedException("A job's stream server logs through the parent's providers.");

    public void Dispose()
    {
        // the parent owns the providers
    }

    private sealed class WarningsOnly(ILogger inner) : ILogger
    {
        public IDisposable? BeginScope<TState>(TState state) where TState : notnull => inner.BeginScope(state);

        public bool IsEnabled(LogLevel logLevel) => logLevel >= LogLevel.Warning && inner.IsEnabled(logLevel);

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception,
            Func<TState, Exception?, string> formatter)
        {
            if (IsEnabled(logLevel)) inner.Log(logLevel, eventId, state, exception, formatter);
        }
    }
}
