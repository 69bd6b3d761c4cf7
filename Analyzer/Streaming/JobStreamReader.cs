using System.Threading.Channels;
using Focus.Analyzer.Streaming.Protos;

namespace Focus.Analyzer.Streaming;

/// <summary>
/// One gRPC call's view of a stream: a bounded buffer that drops its oldest message when full, so a
/// slow call loses lines (a jump in <c>row_index</c>) instead of slowing anyone. Dispose to detach.
/// </summary>
public sealed class JobStreamReader : IDisposable
{
    private readonly JobStreams? _owner;
    private readonly Channel<DataStream> _buffer;
    private int _disposed;

    internal JobStreamReader(JobStreams? owner, int streamId, int capacity)
    {
        _owner = owner;
        StreamId = streamId;
        _buffer = Channel.CreateBounded<DataStream>(
            new BoundedChannelOptions(capacity)
            {
                FullMode = BoundedChannelFullMode.DropOldest,
                SingleReader = true,
                SingleWriter = false,
                AllowSynchronousContinuations = false,
            },
            OnDropped);
    }

    public int StreamId { get; }

    /// <summary>Messages waiting for this call.</summary>
    public ChannelReader<DataStream> Messages => _buffer.Reader;

    /// <summary>Messages this call lost because its buffer was full.</summary>
    public long DroppedMessages => Interlocked.Read(ref _droppedMessages);
    private long _droppedMessages;

    internal int Pending => _buffer.Reader.Count;

    internal bool TryWrite(DataStream message) => _buffer.Writer.TryWrite(message);

    internal void Complete() => _buffer.Writer.TryComplete();

    private void OnDropped(DataStream message)
    {
        Interlocked.Increment(ref _droppedMessages);
        _owner?.OnDropped(message);
    }

    public void Dispose()
    {
        if (Interlocked.Exchange(ref _disposed, 1) != 0) return;
        Complete();
        _owner?.Detach(this);
    }
}
