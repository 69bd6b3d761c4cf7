using Microsoft.Win32.SafeHandles;

namespace Focus.Analyzer.Historic.Formats.SegY;

/// <summary>
/// An open SEG-Y recording (rev 0, 1, 2.x; <see cref="SegyLayout"/> says which bytes are read): one trace per channel,
/// channel c (1-based) the c-th trace of a record, records one after the other in time (a file of one record is the
/// usual case). The transposed layout (one trace per time sample) is not read: nothing in a file tells it apart.
/// Rows are a record's samples at the binary header's interval from the time in the record's first trace header;
/// a record whose header has whole seconds only and agrees with the previous records' end to the second continues
/// them exactly. Samples are read per channel as one contiguous run of its trace, so a narrow read costs one read per
/// channel. Not thread-safe: one per reader.
/// </summary>
public sealed class SegyRecording : IRecording
{
    private readonly SafeFileHandle _file;
    private readonly SegyLayout _layout;
    private readonly string _path;
    private readonly long _startMicros;
    private readonly long _endMicros;
    private byte[] _bytes = [];
    private readonly byte[] _header;
    private long _timeRecord;
    private long _timeRecordStart;

    private SegyRecording(SafeFileHandle file, SegyLayout layout, string path, RecordingHeader header, long startMicros)
    {
        _file = file;
        _layout = layout;
        _path = path;
        Header = header;
        _startMicros = startMicros;
        _endMicros = startMicros + (long)Math.Round((header.SampleCount - 1) * layout.IntervalMicros);
        _header = new byte[Math.Min(layout.TraceHeadersBytes, 2 * SegyLayout.TraceHeaderBytes)];
        _timeRecord = 0;
        _timeRecordStart = startMicros;
    }

    public RecordingHeader Header { get; }

    /// <summary>The textual header as decoded (EBCDIC or ASCII), for logs and tests.</summary>
    public string TextualHeader => _layout.Text;

    /// <summary>What was read of the file header: revision, byte order, text coding, sample format.</summary>
    public string Description => _layout.Describe();

    public bool BigEndian => _layout.BigEndian;

    public bool EbcdicText => _layout.EbcdicText;

    /// <summary>Opens <paramref name="path"/>; throws <see cref="RecordingFormatException"/> when it is no playable SEG-Y recording.</summary>
    public static SegyRecording Open(string path)
    {
        var file = File.OpenHandle(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete, FileOptions.RandomAccess);
        try
        {
            var layout = SegyLayout.Read(file, path);
            var first = new byte[Math.Min(layout.TraceHeadersBytes, 2 * SegyLayout.TraceHeaderBytes)];
            SegyLayout.ReadExactly(file, layout.DataStart, first, path);
            var start = layout.TraceTime(first, out _) ?? throw new RecordingFormatException(path, RecordingProblem.Invalid,
                "the first trace header holds no recording time (year, day, hour, minute, second at bytes 157-166 are zero or out of range)");
            var prr = 1e6 / layout.IntervalMicros;
            var samples = layout.Records * layout.Samples;
            RecordingLimits.CheckPrr(prr, $"the sample interval {layout.IntervalMicros} µs gives a rate:");
            RecordingLimits.CheckEnd(start, (ulong)samples, prr);
            var header = new RecordingHeader
            {
                Path = path,
                Format = "SEG-Y",
                SchemaVersion = $"rev {layout.RevisionMajor}.{layout.RevisionMinor}",
                Vendor = null,
                Start = start,
                Prr = prr,
                Channels = layout.TracesPerRecord,
                SampleCount = samples,
                Dx = 1,
                StartLocusIndex = 0,
                SampleType = SegySamples.SampleType(layout.Format),
            };
            return new SegyRecording(file, layout, path, header, Micros(start));
        }
        catch (Exception ex)
        {
            file.Dispose();
            if (ex is RecordingFormatException or IOException or UnauthorizedAccessException) throw;
            throw new RecordingFormatException(path, RecordingProblem.Invalid, ex.Message, ex);
        }
    }

    public void Read(long firstRow, int rows, int firstChannel, int channels, Span<float> destination)
    {
        RecordingReads.Check(Header, firstRow, rows, firstChannel, channels, destination);
        var samples = _layout.Samples;
        var bytesPerSample = _layout.BytesPerSample;
        for (var done = 0; done < rows;)
        {
            var row = firstRow + done;
            var record = row / samples;
            var inRecord = row - record * samples;
            var count = (int)Math.Min(rows - done, samples - inRecord);
            var bytes = count * bytesPerSample;
            if (_bytes.Length < bytes) _bytes = new byte[bytes];
            for (var c = 0; c < channels; c++)
            {
                var trace = record * _layout.TracesPerRecord + firstChannel - 1 + c;
                var offset = _layout.DataStart + trace * _layout.TraceBytes + _layout.TraceHeadersBytes + inRecord * bytesPerSample;
                SegyLayout.ReadExactly(_file, offset, _bytes.AsSpan(0, bytes), _path);
                SegySamples.Decode(_layout.Format, _layout.BigEndian, _bytes.AsSpan(0, bytes), destination[(done * channels + c)..], channels);
            }
            done += count;
        }
    }

    /// <summary>
    /// The rows' times: their record's start (its first trace header; see the class) plus the row's offset in the
    /// record at the sample interval. A record whose header time is missing or outside the file's own first..last
    /// sample is placed where the interval puts it, so a bad header can never move a line out of its recording.
    /// </summary>
    public void ReadTimes(long firstRow, Span<long> destination)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(firstRow);
        if (firstRow + destination.Length > Header.SampleCount)
            throw new ArgumentOutOfRangeException(nameof(destination), $"rows {firstRow}..{firstRow + destination.Length - 1} run past the recording's {Header.SampleCount}");
        var samples = _layout.Samples;
        for (var i = 0; i < destination.Length; i++)
        {
            var row = firstRow + i;
            var record = row / samples;
            if (record != _timeRecord)
            {
                _timeRecordStart = RecordStart(record);
                _timeRecord = record;
            }
            destination[i] = _timeRecordStart + (long)Math.Round((row - record * samples) * _layout.IntervalMicros);
        }
    }

    public void Dispose() => _file.Dispose();

    private long RecordStart(long record)
    {
        var nominal = _startMicros + (long)Math.Round(record * _layout.Samples * _layout.IntervalMicros);
        if (record == 0) return _startMicros;
        SegyLayout.ReadExactly(_file, _layout.DataStart + record * _layout.TracesPerRecord * _layout.TraceBytes, _header, _path);
        if (_layout.TraceTime(_header, out var subSecond) is not { } time) return nominal;
        var micros = Micros(time);
        if (!subSecond && micros <= nominal && nominal < micros + 1_000_000) return nominal; // the same second, to the µs
        return micros >= _startMicros && micros <= _endMicros ? micros : nominal;
    }

    private static long Micros(DateTimeOffset time) => (time.UtcTicks - DateTimeOffset.UnixEpoch.UtcTicks) / 10;
}
