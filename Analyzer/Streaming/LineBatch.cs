using System.Buffers;
using System.Runtime.InteropServices;
using Focus.Analyzer.Streaming.Protos;
using Google.Protobuf;

namespace Focus.Analyzer.Streaming;

/// <summary>
/// Gathers computed lines into <see cref="DataStream"/> messages per stream (CONTRACT §2): the per-line
/// timestamps, rows and float32 little-endian values, and each message's max/min. A message stays within
/// <see cref="MaxMessageBytes"/> (gRPC clients refuse messages over 4 MiB by default, and a wide job at nfft 65536
/// makes lines of 128 KiB): the lines of a batch are split over several messages, each line whole, and a line too
/// big on its own goes alone. Live and historic pipelines batch the same way; only where the messages go differs.
/// <para>
/// A line's values are written once, into a chunk the batch fills line after line, and its <c>main_data</c> entry
/// wraps its part of the chunk instead of copying it (a 256-channel playback made 240,000 arrays of 2 KB per 2-minute
/// window, one per line). A chunk is never written again where a line was handed out. Without a pool, chunks of
/// <see cref="ChunkBytes"/> are the garbage collector's and live as long as any message holds one of their lines. With
/// a pool (historic playback), each stream's messages get chunks of their own, rented, and <see cref="Take(int, out MessageLease?)"/>
/// hands out with each message the <see cref="MessageLease"/> that gives them back once every holder released it.
/// </para>
/// </summary>
internal sealed class LineBatch
{
    /// <summary>The most a message may take on the wire, unless a single line needs more.</summary>
    public const int MaxMessageBytes = 1024 * 1024;

    // Upper bounds of the protobuf encoding: every scalar field with its tag (a negative int32 is 10 bytes) and the
    // two packed headers; per line a timestamp, a row and a length-delimited main_data entry.
    private const int MessageOverheadBytes = 128;
    private const int LineOverheadBytes = 1 + 5 + 10 + 10;

    /// <summary>Bytes of line values allocated at once: below the large-object heap's 85,000, so chunks die young.</summary>
    public const int ChunkBytes = 64 * 1024;

    private readonly DataStream?[] _pending;
    private readonly Queue<(DataStream, MessageLease?)>?[] _sealed;
    private readonly long[] _bytes;
    private readonly float[] _max;
    private readonly float[] _min;
    private readonly int _valuesPerLine;
    private readonly int? _numericJobId;
    private readonly ArrayPool<byte>? _pool;
    private readonly List<byte[]>?[] _rented;   // with a pool: each stream's chunks of its open message
    private readonly int[] _rentedUsed;          // bytes used of the last of them
    private byte[] _chunk = [];                  // without a pool: the chunk every stream fills
    private int _chunkUsed;

    /// <param name="pool">Where lines' chunks are rented from, to be given back through each message's lease; null: allocated.</param>
    public LineBatch(int streams, int valuesPerLine, int? numericJobId, ArrayPool<byte>? pool = null)
    {
        _pending = new DataStream?[streams];
        _sealed = new Queue<(DataStream, MessageLease?)>?[streams];
        _pool = pool;
        _rented = new List<byte[]>?[pool is null ? 0 : streams];
        _rentedUsed = new int[pool is null ? 0 : streams];
        _bytes = new long[streams];
        _max = new float[streams];
        _min = new float[streams];
        _valuesPerLine = valuesPerLine;
        _numericJobId = numericJobId;
    }

    public int Streams => _pending.Length;

    public bool IsOpen(int stream) => _pending[stream] is not null;

    /// <summary>The most a message of lines of <paramref name="valuesPerLine"/> values may take on the wire.</summary>
    public static long LineBytes(int valuesPerLine) => LineOverheadBytes + 4L * valuesPerLine;

    /// <summary>Starts the stream's next message.</summary>
    public void Open(int stream, int startChannel, int endChannel)
    {
        var message = new DataStream { StartChannel = startChannel, EndChannel = endChannel, DataShapeX = _valuesPerLine };
        if (_numericJobId is { } id) message.JobId = id;
        _pending[stream] = message;
        _bytes[stream] = MessageOverheadBytes;
        _max[stream] = float.NegativeInfinity;
        _min[stream] = float.PositiveInfinity;
    }

    /// <summary>Appends a line to the stream's open message, first sealing it when the line would take it over the limit.</summary>
    public void Add(int stream, long timestampMs, int row, ReadOnlySpan<float> values)
    {
        var message = _pending[stream] ?? throw new InvalidOperationException($"stream {stream} has no open message");
        var lineBytes = LineBytes(values.Length);
        if (message.RowIndex.Count > 0 && _bytes[stream] + lineBytes > MaxMessageBytes)
        {
            (_sealed[stream] ??= new Queue<(DataStream, MessageLease?)>()).Enqueue(Seal(stream, message));
            Open(stream, message.StartChannel, message.EndChannel);
            message = _pending[stream]!;
        }
        message.TimestampInMilis.Add(timestampMs);
        message.RowIndex.Add(row);
        _bytes[stream] += lineBytes;
        if (values.Length == 0)
        {
            message.MainData.Add(ByteString.Empty);
            return;
        }
        // float32 in the machine's order, which is little-endian where the service runs (as MemoryMarshal.AsBytes was).
        var stored = Reserve(stream, values.Length * sizeof(float));
        var (max, min) = LineExtremes.Copy(values, MemoryMarshal.Cast<byte, float>(stored.Span));
        message.MainData.Add(UnsafeByteOperations.UnsafeWrap(stored));
        _max[stream] = Math.Max(_max[stream], max);
        _min[stream] = Math.Min(_min[stream], min);
    }

    /// <summary>A line's bytes, not handed out before: the current chunk's next ones, a new chunk, or (a line wider than a chunk) its own array.</summary>
    private Memory<byte> Reserve(int stream, int bytes)
    {
        if (_pool is not null)
        {
            var chunks = _rented[stream] ??= [];
            if (chunks.Count == 0 || chunks[^1].Length - _rentedUsed[stream] < bytes)
            {
                chunks.Add(_pool.Rent(bytes)); // the pool's chunk: a few lines, or this one line
                _rentedUsed[stream] = 0;
            }
            var rented = chunks[^1].AsMemory(_rentedUsed[stream], bytes);
            _rentedUsed[stream] += bytes;
            return rented;
        }
        // Uninitialized: every byte handed out is written by the line's copy before anyone can see it.
        if (bytes > ChunkBytes) return GC.AllocateUninitializedArray<byte>(bytes);
        if (_chunk.Length - _chunkUsed < bytes)
        {
            _chunk = GC.AllocateUninitializedArray<byte>(ChunkBytes);
            _chunkUsed = 0;
        }
        var memory = _chunk.AsMemory(_chunkUsed, bytes);
        _chunkUsed += bytes;
        return memory;
    }

    /// <summary>
    /// The stream's next finished message (shape and extremes set), oldest lines first, or null when none is left:
    /// call it until null. A pooled batch's message is kept (its chunks are never given back).
    /// </summary>
    public DataStream? Take(int stream)
    {
        var message = Take(stream, out var lease);
        lease?.Keep();
        lease?.Release();
        return message;
    }

    /// <summary>
    /// As <see cref="Take(int)"/>, with the message's lease when the batch has a pool (else null): the caller holds it
    /// and must <see cref="MessageLease.Release"/> it once every reader it gave the message to holds it too (or keeps it).
    /// </summary>
    public DataStream? Take(int stream, out MessageLease? lease)
    {
        if (_sealed[stream] is { Count: > 0 } done)
        {
            (var sealedMessage, lease) = done.Dequeue();
            return sealedMessage;
        }
        lease = null;
        if (_pending[stream] is not { } message) return null;
        _pending[stream] = null;
        (message, lease) = Seal(stream, message);
        return message;
    }

    private (DataStream, MessageLease?) Seal(int stream, DataStream message)
    {
        message.DataShapeY = message.RowIndex.Count;
        message.GlobalMaximum = message.DataShapeX > 0 ? _max[stream] : 0f;
        message.GlobalMinimum = message.DataShapeX > 0 ? _min[stream] : 0f;
        if (_pool is null) return (message, null);
        // The message's chunks are its own from now on: the stream's next message rents new ones.
        var chunks = _rented[stream];
        var lease = new MessageLease(chunks is { Count: > 0 } ? [.. chunks] : [], _pool);
        chunks?.Clear();
        return (message, lease);
    }

    /// <summary><c>floor(sampleIndex * 1000 / prr)</c>: a line's UTC epoch milliseconds, exact for integral prr.</summary>
    public static long TimestampMs(long sampleIndex, double prr) =>
        sampleIndex >= 0 && prr >= 1 && prr == Math.Floor(prr) && prr < long.MaxValue
            ? (long)((Int128)sampleIndex * 1000 / (long)prr)
            : (long)Math.Floor(sampleIndex * 1000.0 / prr);
}
