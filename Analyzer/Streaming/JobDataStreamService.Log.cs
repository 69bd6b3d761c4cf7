using Focus.Analyzer.Pipeline;
using Microsoft.Extensions.Logging;

namespace Focus.Analyzer.Streaming;

public sealed partial class JobDataStreamService
{
    [LoggerMessage(Level = LogLevel.Information, Message = "Stream {StreamId} requested; valid stream ids are 0..{MaxStreamId}")]
    private partial void LogUnknownStream(int streamId, int maxStreamId);

    [LoggerMessage(Level = LogLevel.Debug, Message = "Client {Peer} attached to stream {StreamId}")]
    private partial void LogAttached(int streamId, string peer);

    [LoggerMessage(Level = LogLevel.Debug, Message = "Client {Peer} left stream {StreamId} ({DroppedMessages} messages dropped)")]
    private partial void LogDetached(int streamId, string peer, long droppedMessages);

    [LoggerMessage(Level = LogLevel.Debug, Message = "Stream {StreamId} to {Peer} ended by the job ({End}; {DroppedMessages} messages dropped)")]
    private partial void LogEnded(int streamId, string peer, JobEndKind? end, long droppedMessages);
}
