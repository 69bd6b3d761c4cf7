using System.Numerics.Tensors;
using System.Runtime.InteropServices;
using Focus.Analyzer.Streaming.Protos;
using Google.Protobuf;

namespace Focus.Analyzer.Streaming;

/// <summary>
/// Gathers computed lines into one <see cref="DataStream"/> message per stream (CONTRACT §2): the
/// per-line timestamps, rows and float32 little-endian values, and the message's max/min. Live and
/// historic pipelines batch the same way; only where the messages go differs.
/// </summary>
internal sealed class LineBatch
{
    private readonly DataStream?[] _pending;
    private readonly float[] _max;
    private readonly float[] _min;
    private readonly int _valuesPerLine;
    private readonly int? _numericJobId;

    public LineBatch(int streams, int valuesPerLine, int? numericJobId)
    {
        _pending = new DataStream?[streams];
        _max = new float[streams];
        _min = new float[streams];
        _valuesPerLine = valuesPerLine;
        _numericJobId = numericJobId;
    }

    public int Streams => _pending.Length;

    public bool IsOpen(int stream) => _pending[stream] is not null;

    /// <summary>Starts the stream's next message.</summary>
    public void Open(int stream, int startChannel, int endChannel)
    {
        var message = new DataStream { StartChannel = startChannel, EndChannel = endChannel, DataShapeX = _valuesPerLine };
        if (_numericJobId is { } id) message.JobId = id;
        _pending[stream] = message;
        _max[stream] = float.NegativeInfinity;
        _min[stream] = float.PositiveInfinity;
    }

    /// <summary>Appends a line to the stream's open message.</summary>
    public void Add(int stream, long timestampMs, int row, ReadOnlySpan<float> values)
    {
        var message = _pending[stream] ?? throw new InvalidOperationException($"stream {stream} has no open message");
        message.TimestampInMilis.Add(timestampMs);
        message.RowIndex.Add(row);
        message.MainData.Add(ByteString.CopyFrom(MemoryMarshal.AsBytes(values)));
        if (values.Length > 0)
        {
            _max[stream] = Math.Max(_max[stream], TensorPrimitives.Max(values));
            _min[stream] = Math.Min(_min[stream], TensorPrimitives.Min(values));
        }
    }

    /// <summary>The stream's finished message (shape and extremes set), or null when none is open.</summary>
    public DataStream? Take(int stream)
    {
        if (_pending[stream] is not { } message) return null;
        _pending[stream] = null;
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
