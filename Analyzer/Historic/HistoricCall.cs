using System.Collections.Concurrent;
using System.Threading.Channels;
using Focus.Analyzer.Streaming;
using Focus.Analyzer.Streaming.Protos;

namespace Focus.Analyzer.Historic;

/// <summary>
/// One gRPC call's share of a <see cref="HistoricRun"/>: the messages of its stream, in order, none dropped (the
/// run waits for the slowest of its calls). Completes normally at the window's end, with
/// <see cref="StorageUnavailableException"/> (or another fault) when the playback failed. Dispose to leave.
/// <para>
/// A call that <see cref="ReleasesMessages"/> tells <see cref="Sent"/> after each message it has finished with (its
/// gRPC write returned: the message is serialized), so the message's pooled lines can be reused
/// (<see cref="MessageLease"/>). Any other reader (a REST pull's buffer, a test) may keep the messages for good.
/// </para>
/// </summary>
public sealed class HistoricCall : IDisposable
{
    private readonly Channel<DataStream> _messages;
    private readonly ConcurrentQueue<(DataStream Message, MessageLease Lease)> _held = new(); // in the channel's order
    private readonly Action<HistoricCall> _leave;
    private int _disposed;

    internal HistoricCall(int streamId, int capacity, bool releasesMessages, Action<HistoricCall> leave)
    {
        StreamId = streamId;
        ReleasesMessages = releasesMessages;
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

    /// <summary>The reader calls <see cref="Sent"/> for every message it read, in order, once it no longer needs it.</summary>
    public bool ReleasesMessages { get; }

    internal bool Left => Volatile.Read(ref _disposed) != 0;

    /// <summary>
    /// Hands <paramref name="message"/> to the reader: held for it until <see cref="Sent"/> when it releases messages,
    /// kept for good otherwise.
    /// </summary>
    internal async ValueTask WriteAsync(DataStream message, MessageLease? lease, CancellationToken cancellationToken)
    {
        if (lease is not null && !ReleasesMessages) lease.Keep();
        if (lease is null || !ReleasesMessages)
        {
            await _messages.Writer.WriteAsync(message, cancellationToken);
            return;
        }
        lease.Hold();
        _held.Enqueue((message, lease)); // before the reader can see the message
        await _messages.Writer.WriteAsync(message, cancellationToken);
        // (A write that failed leaves its hold in the queue: the lines are then collected, never reused.)
    }

    /// <summary>No message comes after those written: the end of the window, or <paramref name="error"/>.</summary>
    internal bool TryComplete(Exception? error = null) => _messages.Writer.TryComplete(error);

    /// <summary>The reader is done with <paramref name="message"/>, the oldest it read and had not said so of.</summary>
    public void Sent(DataStream message)
    {
        // Older messages it skipped are kept for good (never reused), so nothing waits behind them.
        while (_held.TryDequeue(out var oldest))
        {
            if (ReferenceEquals(oldest.Message, message))
            {
                oldest.Lease.Release();
                return;
            }
            oldest.Lease.Keep();
            oldest.Lease.Release();
        }
    }

    public void Dispose()
    {
        if (Interlocked.Exchange(ref _disposed, 1) != 0) return;
        _messages.Writer.TryComplete();
        _leave(this);
        // Messages it did not say it was done with (unread, or read and maybe still in use) are kept for good.
        while (_held.TryDequeue(out var unsent))
        {
            unsent.Lease.Keep();
            unsent.Lease.Release();
        }
    }
}
