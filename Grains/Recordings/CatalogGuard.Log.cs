using Microsoft.Extensions.Logging;

namespace Focus.Grains.Recordings;

internal sealed partial class CatalogGuard
{
    [LoggerMessage(Level = LogLevel.Warning, Message = "Recording catalog ({Kind}): circuit open for {BreakDuration} after repeated failures (last: {Reason}); calls fail at once meanwhile")]
    private partial void LogOpened(string kind, TimeSpan breakDuration, string reason);

    [LoggerMessage(Level = LogLevel.Information, Message = "Recording catalog ({Kind}): the database answers again; circuit closed")]
    private partial void LogClosed(string kind);
}
