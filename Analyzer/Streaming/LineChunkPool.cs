using System.Collections.Concurrent;

namespace Focus.Analyzer.Streaming;

/// <summary>
/// The chunks one playback's <see cref="LineBatch"/>es write lines into, given back through each message's
/// <see cref="MessageLease"/>: every chunk <see cref="LineBatch.PooledChunkBytes"/> long, kept without bound (as many
/// as were in flight at once, which the calls' bounded buffers bound) and let go with the pool at the playback's end.
/// <see cref="System.Buffers.ArrayPool{T}.Shared"/> keeps a few dozen arrays of a size, far fewer than a 256-stream
/// playback has in flight, and would allocate most of them anew. A line wider than a chunk gets an array of its own,
/// never kept.
/// </summary>
internal sealed class LineChunkPool : System.Buffers.ArrayPool<byte>
{
    private readonly ConcurrentStack<byte[]> _free = new();

    /// <summary>Chunks allocated so far (what the pool holds at most).</summary>
    public int Allocated => Volatile.Read(ref _allocated);
    private int _allocated;

    // Uninitialized: a chunk's bytes are read only where a line was written first.
    public override byte[] Rent(int minimumLength)
    {
        if (minimumLength > LineBatch.PooledChunkBytes) return GC.AllocateUninitializedArray<byte>(minimumLength);
        if (_free.TryPop(out var chunk)) return chunk;
        Interlocked.Increment(ref _allocated);
        return GC.AllocateUninitializedArray<byte>(LineBatch.PooledChunkBytes);
    }

    public override void Return(byte[] array, bool clearArray = false)
    {
        if (array.Length != LineBatch.PooledChunkBytes) return;
        if (clearArray) Array.Clear(array);
        _free.Push(array);
    }
}
