using System.Threading.Channels;
using Focus.Analyzer.Streaming.Protos;

namespace Focus.Analyzer.Historic;

/// <summary>
/// One gRPC call's share of a <see cref="HistoricRun"/>: the messages of its stream, in order, none dropped (the
/// run waits for the slowest of its calls). Completes normally at the window's end, with
/// <see cref="StorageUnavailableException"/> (or another fault) when the playback failed. Dispose to leave.
/// </summary>
public sealed class HistoricCall : IDisposable
{
    private readonly Channel<DataStream> _messages;
    private readonly Action<HistoricCall> _leave;
    private int _disposed;

    internal HistoricCall(int streamId, int capacity, Action<HistoricCall> leave)
    {
        StreamId = streamId;
        _leave = leave;
        _messages = Channel.CreateBounded<DataStream>(new BoundedChannelOptions(capacity)
        {
            FullMode = BoundedChannelFullMode.Wait,
            SingleReader = true,
            SingleWriter = true,
        });
    }

    public int StreamId { get; }

    public ChannelReader<DataStream> Messages => _messages.Reader;

    internal ChannelWriter<DataStream> Writer => _messages.Writer;

    internal bool Left => Volatile.Read(ref _disposed) != 0;

    public void Dispose()
    {
        if (Interlocked.Exchange(ref _disposed, 1) != 0) return;
        _messages.Writer.TryComplete();
        _leave(this);
    }
}
