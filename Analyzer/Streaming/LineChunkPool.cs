using System.Collections.Concurrent;

namespace Focus.Analyzer.Streaming;

/// <summary>
/// The chunks one playback's <see cref="LineBatch"/>es write lines into, given back through each message's
/// <see cref="MessageLease"/>: every chunk <see cref="ChunkBytes"/> long (a few lines: a stream's message wastes at most
/// part of one), kept without bound (as many as were in flight at once, which the calls' bounded buffers bound) and
/// let go with the pool at the playback's end. <see cref="System.Buffers.ArrayPool{T}.Shared"/> keeps a few dozen
/// arrays of a size, far fewer than a 256-stream playback has in flight, and would allocate most of them anew. A line
/// wider than a chunk gets an array of its own, never kept.
/// </summary>
internal sealed class LineChunkPool(int chunkBytes) : System.Buffers.ArrayPool<byte>
{
    /// <summary>Lines a chunk holds.</summary>
    public const int LinesPerChunk = 8;

    private readonly ConcurrentStack<byte[]> _free = new();
    private int _allocated;

    /// <summary>A pool for lines of <paramref name="valuesPerLine"/> float32 values.</summary>
    public static LineChunkPool ForLines(int valuesPerLine)
    {
        var lineBytes = Math.Max(1, valuesPerLine) * sizeof(float);
        return new LineChunkPool(Math.Max(lineBytes, Math.Min(LinesPerChunk * lineBytes, LineBatch.ChunkBytes)));
    }

    public int ChunkBytes { get; } = chunkBytes;

    /// <summary>Chunks allocated so far (what the pool holds at most).</summary>
    public int Allocated => Volatile.Read(ref _allocated);

    // Uninitialized: a chunk's bytes are read only where a line was written first.
    public override byte[] Rent(int minimumLength)
    {
        if (minimumLength > ChunkBytes) return GC.AllocateUninitializedArray<byte>(minimumLength);
        if (_free.TryPop(out var chunk)) return chunk;
        Interlocked.Increment(ref _allocated);
        return GC.AllocateUninitializedArray<byte>(ChunkBytes);
    }

    public override void Return(byte[] array, bool clearArray = false)
    {
        if (array.Length != ChunkBytes) return;
        if (clearArray) Array.Clear(array);
        _free.Push(array);
    }
}
