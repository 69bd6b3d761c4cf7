using Microsoft.Extensions.Logging;

namespace Focus.Analyzer.Sources.RabbitMq;

internal sealed partial class RabbitMqJobInput
{
    [LoggerMessage(1, LogLevel.Warning, "Live queue {Queue} lost ({Reason}); reconnecting")]
    private partial void LogQueueLost(string queue, string reason);

    [LoggerMessage(2, LogLevel.Information, "Live queue {Queue} declared again")]
    private partial void LogRedeclared(string queue);

    [LoggerMessage(3, LogLevel.Debug, "Live queue {Queue} deleted")]
    private partial void LogQueueDeleted(string queue);

    [LoggerMessage(4, LogLevel.Warning, "Could not delete live queue {Queue}")]
    private partial void LogDeleteFailed(Exception exception, string queue);

    [LoggerMessage(5, LogLevel.Warning, "Live chunk of block {Block} refused ({Reason}): {Detail}")]
    private partial void LogChunkRejected(int block, string reason, string detail);

    [LoggerMessage(6, LogLevel.Warning, "Command refused and sent to prisma_dlq: {Problem}")]
    private partial void LogCommandRefused(string problem);

    [LoggerMessage(7, LogLevel.Debug, "Keepalive from {Source}")]
    private partial void LogKeepalive(string source);

    [LoggerMessage(8, LogLevel.Information, "Command {Type} received")]
    private partial void LogCommand(string type);

    [LoggerMessage(9, LogLevel.Information, "Region of interest moved from {OldFirst}..{OldLast} to {First}..{Last}")]
    private partial void LogRegionMoved(int oldFirst, int oldLast, int first, int last);

    [LoggerMessage(10, LogLevel.Error, "Live delivery on {RoutingKey} failed")]
    private partial void LogDeliveryFailed(Exception exception, string routingKey);

    [LoggerMessage(11, LogLevel.Error, "Live input fails the job: {Reason}")]
    private partial void LogFault(string reason);

    [LoggerMessage(13, LogLevel.Debug, "Live queue {Queue} bound to {Blocks} data blocks")]
    private partial void LogDataBindings(string queue, int blocks);

    [LoggerMessage(14, LogLevel.Warning, "Could not change the data bindings of live queue {Queue}; they follow when the channel reopens")]
    private partial void LogBindingsFailed(Exception exception, string queue);

    [LoggerMessage(12, LogLevel.Warning, "Live input did not stop within {Wait}")]
    private partial void LogSlowStop(TimeSpan wait);
}
