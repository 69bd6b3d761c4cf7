using System.Buffers;

namespace Focus.Analyzer.Streaming;

/// <summary>
/// The pooled arrays a <see cref="LineBatch"/> wrote one message's lines into (its <c>main_data</c> wraps them, no
/// copy). They go back to the pool only once every holder has released the message: the batch (until it has handed
/// the message to every reader) and each reader that said it releases, after its gRPC write returned (by then the
/// message is serialized). A reader that keeps lines (a REST pull's buffer) or may keep the message (a test) makes it
/// <see cref="Keep"/>: its arrays are then the garbage collector's, as any message's. A message nobody released (a
/// call that left with messages unread) is simply collected; an array never goes back while a holder remains.
/// </summary>
public sealed class MessageLease
{
    private readonly byte[][] _arrays;
    private readonly ArrayPool<byte> _pool;
    private int _holders = 1; // the batch's own, until it has handed the message out
    private int _kept;

    internal MessageLease(byte[][] arrays, ArrayPool<byte> pool)
    {
        _arrays = arrays;
        _pool = pool;
    }

    /// <summary>One holder more, who will <see cref="Release"/>; only while the batch (or another holder) still holds.</summary>
    public void Hold()
    {
        if (Interlocked.Increment(ref _holders) <= 1) throw new InvalidOperationException("the message was already released");
    }

    /// <summary>Someone keeps the message without releasing it: its arrays never go back to the pool.</summary>
    public void Keep() => Volatile.Write(ref _kept, 1);

    /// <summary>A holder is done with the message (serialized it, or will never send it).</summary>
    public void Release()
    {
        var left = Interlocked.Decrement(ref _holders);
        if (left < 0) throw new InvalidOperationException("the message was released more often than held");
        if (left > 0 || Volatile.Read(ref _kept) != 0) return;
        foreach (var array in _arrays) _pool.Return(array);
    }
}
