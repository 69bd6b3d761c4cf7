using System.Numerics.Tensors;
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
/// </summary>
internal sealed class LineBatch
{
    /// <summary>The most a message may take on the wire, unless a single line needs more.</summary>
    public const int MaxMessageBytes = 1024 * 1024;

    // Upper bounds of the protobuf encoding: every scalar field with its tag (a negative int32 is 10 bytes) and the
    // two packed headers; per line a timestamp, a row and a length-delimited main_data entry.
    private const int MessageOverheadBytes = 128;
    private const int LineOverheadBytes = 1 + 5 + 10 + 10;

    private readonly DataStream?[] _pending;
    private readonly Queue<DataStream>?[] _sealed;
    private readonly long[] _bytes;
    private readonly float[] _max;
    private readonly float[] _min;
    private readonly int _valuesPerLine;
    private readonly int? _numericJobId;

    public LineBatch(int streams, int valuesPerLine, int? numericJobId)
    {
        _pending = new DataStream?[streams];
        _sealed = new Queue<DataStream>?[streams];
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
            (_sealed[stream] ??= new Queue<DataStream>()).Enqueue(Seal(stream, message));
            Open(stream, message.StartChannel, message.EndChannel);
            message = _pending[stream]!;
        }
        message.TimestampInMilis.Add(timestampMs);
        message.RowIndex.Add(row);
        message.MainData.Add(ByteString.CopyFrom(MemoryMarshal.AsBytes(values)));
        _bytes[stream] += lineBytes;
        if (values.Length > 0)
        {
            _max[stream] = Math.Max(_max[stream], TensorPrimitives.Max(values));
            _min[stream] = Math.Min(_min[stream], TensorPrimitives.Min(values));
        }
    }

    /// <summary>
    /// The stream's next finished message (shape and extremes set), oldest lines first, or null when none is left:
    /// call it until null.
    /// </summary>
    public DataStream? Take(int stream)
    {
        if (_sealed[stream] is { Count: > 0 } done) return done.Dequeue();
        if (_pending[stream] is not { } message) return null;
        _pending[stream] = null;
        return Seal(stream, message);
    }

    private DataStream Seal(int stream, DataStream message)
    {
        message.DataShapeY = message.RowIndex.Count;
        message.GlobalMaximum = message.DataShapeX > 0 ? _max[stream] : 0f;
        message.GlobalMinimum = message.DataShapeX > 0 ? _min[stream] : 0f;
        return message;
    }

    /// <summary><c>floor(sampleIndex * 1000 / prr)</c>: a line's UTC epoch milliseconds, exact for integral prr.</summary>
    public static long TimestampMs(long sampleIndex, double prr) =>
        sampleIndex >= 0 && prr >= 1 && prr == Math.Floor(prr) && prr < long.MaxValue
            ? (long)((Int128)sampleIndex * 1000 / (long)prr)
            : (long)Math.Floor(sampleIndex * 1000.0 / prr);
}
