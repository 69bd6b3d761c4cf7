using System.Buffers.Binary;
using System.Text;
using Microsoft.Win32.SafeHandles;

namespace Focus.Analyzer.Historic.Formats.SegY;

/// <summary>
/// Where a SEG-Y file's traces are and how they are coded, from its 3600-byte file header (rev 0, 1 and 2.x). Byte
/// numbers below are the standard's (1-based, in the file for the binary header, in the trace for trace headers).
/// <list type="bullet">
/// <item>Byte order: rev 2's integer constant (3297-3300) where it is 0x01020304 either way round; else (segyio writes
/// little-endian files without it) the order in which the data sample format code (3225-3226) is one of 1..16 (a
/// code n read the other way round is n × 256).</item>
/// <item>Textual header (1-3200): EBCDIC unless it starts with an ASCII 'C' or holds more ASCII than EBCDIC spaces;
/// extended textual headers: count at 3505-3506 (rev 2's -1: up to the <c>((SEG: EndText))</c> stanza).</item>
/// <item>Sample interval: 3217-3218 (µs), rev 2's IEEE double at 3273-3280 where set, else the first trace's 117-118.
/// Samples per trace: 3221-3222 (unsigned), rev 2's 3269-3272 where set, else the first trace's 115-116.</item>
/// <item>Rev 2: first trace offset 3521-3528, traces in the file 3513-3520, trailer stanzas 3529-3532, additional
/// 240-byte trace headers per trace 3507-3508, data traces per ensemble 3261-3264 (else 3213-3214 in any revision).</item>
/// </list>
/// Traces have one length (the binary header's); a record (shot) is "data traces per ensemble" traces when that
/// divides the trace count, else the whole file. Nothing the file claims is believed before it is checked against
/// the file's length and <see cref="RecordingLimits"/>; a lie is a <see cref="RecordingFormatException"/>.
/// </summary>
internal sealed record SegyLayout
{
    public const int TextHeaderBytes = 3200;
    public const int BinaryHeaderBytes = 400;
    public const int FileHeaderBytes = TextHeaderBytes + BinaryHeaderBytes;
    public const int TraceHeaderBytes = 240;

    /// <summary>Extended textual headers at most (3200 bytes each).</summary>
    public const int MaxExtendedTextHeaders = 1_000;

    /// <summary>Rev 2's stanza that ends a variable number of extended textual headers, as ASCII and as EBCDIC bytes, either case.</summary>
    private static readonly byte[][] EndStanzas =
    [
        .. new[] { "((SEG: EndText))", "((SEG: ENDTEXT))", "((SEG:EndText))", "((SEG:ENDTEXT))" }
            .SelectMany(s => new[] { Encoding.ASCII.GetBytes(s), (CodePagesEncodingProvider.Instance.GetEncoding(37) ?? Encoding.ASCII).GetBytes(s) }),
    ];

    /// <summary>Additional 240-byte trace headers per trace at most (rev 2).</summary>
    public const int MaxExtraTraceHeaders = 1_000;

    public required bool BigEndian { get; init; }
    public required bool ByteOrderStated { get; init; }
    public required bool EbcdicText { get; init; }
    public required string Text { get; init; }
    public required int RevisionMajor { get; init; }
    public required int RevisionMinor { get; init; }
    public required int Format { get; init; }
    public required int BytesPerSample { get; init; }
    public required int Samples { get; init; }
    public required double IntervalMicros { get; init; }
    public required long DataStart { get; init; }
    public required int ExtraTraceHeaders { get; init; }
    public required long Traces { get; init; }
    public required int TracesPerRecord { get; init; }

    public long TraceBytes => TraceHeadersBytes + (long)Samples * BytesPerSample;
    public int TraceHeadersBytes => TraceHeaderBytes * (1 + ExtraTraceHeaders);
    public long Records => Traces / TracesPerRecord;

    public string Describe() =>
        $"SEG-Y rev {RevisionMajor}.{RevisionMinor}, {(BigEndian ? "big" : "little")}-endian{(ByteOrderStated ? "" : " (recognised)")}, " +
        $"{(EbcdicText ? "EBCDIC" : "ASCII")} text, format {SegySamples.Describe(Format)}";

    public static SegyLayout Read(SafeFileHandle file, string path)
    {
        var length = RandomAccess.GetLength(file);
        if (length < FileHeaderBytes)
            throw Unsupported(path, $"{length} bytes, shorter than SEG-Y's {FileHeaderBytes}-byte file header");
        var head = new byte[FileHeaderBytes];
        ReadExactly(file, 0, head, path);
        var text = head.AsSpan(0, TextHeaderBytes);
        ReadOnlySpan<byte> bin = head.AsSpan(TextHeaderBytes, BinaryHeaderBytes);

        int major = bin[300], minor = bin[301];
        var rev2 = major >= 2;
        var (bigEndian, stated) = ByteOrder(bin, rev2, path);
        var b = new Fields(bin, bigEndian);

        var format = b.I16(24);
        var bytesPerSample = SegySamples.BytesPerSample(format);
        if (bytesPerSample == 0)
            throw Unsupported(path, $"data sample format {SegySamples.Describe(format)} is not read; formats 1, 2, 3, 5 and 8 are");

        var ebcdic = IsEbcdic(text);
        var dataStart = FileHeaderBytes + (long)TextHeaderBytes * ExtendedTextHeaders(file, length, b.I16(304), path);
        if (rev2 && b.U64(320) is > 0 and var firstTrace)
        {
            if (firstTrace < FileHeaderBytes || firstTrace > (ulong)length)
                throw Invalid(path, $"the first trace's offset {firstTrace} (bytes 3521-3528) is outside the file's {length} bytes");
            dataStart = (long)firstTrace;
        }
        var extra = rev2 ? b.I16(306) : 0;
        if (extra is < 0 or > MaxExtraTraceHeaders)
            throw Invalid(path, $"{extra} additional trace headers per trace (bytes 3507-3508); 0..{MaxExtraTraceHeaders} expected");

        // The first trace's header (and rev 2's first extension) for what the binary header leaves at zero.
        var first = FirstTraceHeader(file, length, dataStart, path);
        var t = new Fields(first, bigEndian);

        var samples = (int)b.U16(20);
        var extSamples = b.I32(68);
        if (extSamples > 0 && (samples == 0 || rev2)) samples = extSamples;
        if (samples == 0) samples = t.U16(114);
        if (samples <= 0) throw Invalid(path, "no samples per trace (bytes 3221-3222, 3269-3272 and the first trace's 115-116 are zero)");

        double interval = b.U16(16);
        if (rev2 && b.F64(72) is var extInterval && double.IsFinite(extInterval) && extInterval > 0) interval = extInterval;
        if (interval == 0) interval = t.U16(116);
        if (!(interval > 0)) throw Invalid(path, "no sample interval (bytes 3217-3218, 3273-3280 and the first trace's 117-118 are zero)");

        var trailer = rev2 ? b.I32(328) : 0;
        if (trailer < 0) throw Invalid(path, $"{trailer} trailer stanzas (bytes 3529-3532)");
        var traceBytes = TraceHeaderBytes * (1L + extra) + (long)samples * bytesPerSample;
        var available = length - dataStart - TextHeaderBytes * (long)trailer;
        if (available < traceBytes)
            throw Invalid(path, $"no complete trace: {Math.Max(0, available)} bytes of traces, one trace of {samples} samples takes {traceBytes}");
        var traces = available / traceBytes; // a partial last trace (a file being written or cut) is left out
        if (rev2 && b.U64(312) is > 0 and var statedTraces)
        {
            if (statedTraces > (ulong)traces)
                throw Invalid(path, $"bytes 3513-3520 claim {statedTraces} traces; the file holds {traces}");
            traces = (long)statedTraces;
        }

        var perRecord = rev2 && b.I32(60) > 0 ? b.I32(60) : b.I16(12);
        if (perRecord <= 0 || traces % perRecord != 0) perRecord = traces <= int.MaxValue ? (int)traces : 0;
        if (perRecord <= 0 || (ulong)perRecord > RecordingLimits.MaxLoci)
            throw Invalid(path, $"{(perRecord <= 0 ? traces : perRecord)} traces in one record, more channels than {RecordingLimits.MaxLoci}");
        if ((ulong)(traces / perRecord) > RecordingLimits.MaxSamples / (ulong)samples)
            throw Invalid(path, $"{traces / perRecord} records of {samples} samples, more than {RecordingLimits.MaxSamples}");

        return new SegyLayout
        {
            BigEndian = bigEndian,
            ByteOrderStated = stated,
            EbcdicText = ebcdic,
            Text = Decode(text, ebcdic),
            RevisionMajor = major,
            RevisionMinor = minor,
            Format = format,
            BytesPerSample = bytesPerSample,
            Samples = samples,
            IntervalMicros = interval,
            DataStart = dataStart,
            ExtraTraceHeaders = extra,
            Traces = traces,
            TracesPerRecord = perRecord,
        };
    }

    /// <summary>
    /// The first sample's time from a trace's header: year (157-158; two digits are 19xx/20xx), day of year (159-160),
    /// hour (161-162), minute (163-164), second (165-166), plus, in rev 2 files with an additional trace header, its
    /// nanoseconds of the second (bytes 141-144 of that header). Read as UTC whatever the time basis code (167-168)
    /// says. Null when the year is 0 (no time recorded) or a field is out of its range.
    /// </summary>
    public DateTimeOffset? TraceTime(ReadOnlySpan<byte> headers, out bool subSecond)
    {
        var h = new Fields(headers, BigEndian);
        int year = h.I16(156), day = h.I16(158), hour = h.I16(160), minute = h.I16(162), second = h.I16(164);
        subSecond = RevisionMajor >= 2 && ExtraTraceHeaders >= 1 && headers.Length >= 2 * TraceHeaderBytes;
        var nanoseconds = subSecond ? h.I32(TraceHeaderBytes + 140) : 0;
        if (year is > 0 and < 100) year += year < 50 ? 2000 : 1900;
        if (year is < 1 or > 9998 || day < 1 || day > (DateTime.IsLeapYear(year) ? 366 : 365) || hour is < 0 or > 23 ||
            minute is < 0 or > 59 || second is < 0 or > 59 || nanoseconds is < 0 or > 999_999_999)
            return null;
        return new DateTimeOffset(year, 1, 1, hour, minute, second, TimeSpan.Zero).AddDays(day - 1).AddTicks(nanoseconds / 100);
    }

    /// <summary>Reads exactly <paramref name="destination"/>.Length bytes at <paramref name="offset"/>.</summary>
    public static void ReadExactly(SafeFileHandle file, long offset, Span<byte> destination, string path)
    {
        while (!destination.IsEmpty)
        {
            var read = RandomAccess.Read(file, destination, offset);
            if (read <= 0) throw new EndOfStreamException($"{Path.GetFileName(path)} ends at byte {offset}, before the {destination.Length} bytes read there");
            destination = destination[read..];
            offset += read;
        }
    }

    private static (bool BigEndian, bool Stated) ByteOrder(ReadOnlySpan<byte> bin, bool rev2, string path)
    {
        switch (BinaryPrimitives.ReadUInt32BigEndian(bin[96..]))
        {
            case 0x0102_0304:
                return (true, true);
            case 0x0403_0201:
                return (false, true);
            case not 0 and var word when rev2:
                throw Unsupported(path, $"the byte-order word (bytes 3297-3300) is 0x{word:X8}, neither 0x01020304 nor its reverse (pairwise-swapped files are not read)");
        }
        // No byte-order word (rev 0/1, or segyio's little-endian files): the order in which the format code is one.
        var big = BinaryPrimitives.ReadInt16BigEndian(bin[24..]);
        var little = BinaryPrimitives.ReadInt16LittleEndian(bin[24..]);
        if (big is >= 1 and <= 16) return (true, false);
        if (little is >= 1 and <= 16) return (false, false);
        throw Unsupported(path, $"not SEG-Y: the data sample format code (bytes 3225-3226: {bin[24]:X2} {bin[25]:X2}) is no format 1..16 in either byte order");
    }

    /// <summary>Extended textual headers after the binary header: the count at 3505-3506, or rev 2's -1 (up to the end stanza).</summary>
    private static int ExtendedTextHeaders(SafeFileHandle file, long length, int count, string path)
    {
        if (count >= 0)
        {
            if (count > MaxExtendedTextHeaders || FileHeaderBytes + (long)TextHeaderBytes * count > length)
                throw Invalid(path, $"{count} extended textual headers (bytes 3505-3506) do not fit the file's {length} bytes");
            return count;
        }
        if (count != -1) throw Invalid(path, $"{count} extended textual headers (bytes 3505-3506)");
        var block = new byte[TextHeaderBytes];
        for (var n = 0; n < MaxExtendedTextHeaders && FileHeaderBytes + (long)TextHeaderBytes * (n + 1) <= length; n++)
        {
            ReadExactly(file, FileHeaderBytes + (long)TextHeaderBytes * n, block, path);
            if (EndStanzas.Any(stanza => block.AsSpan().IndexOf(stanza) >= 0)) return n + 1;
        }
        throw Invalid(path, "a variable number of extended textual headers (-1 at 3505-3506) without the ((SEG: EndText)) stanza that ends them");
    }

    private static byte[] FirstTraceHeader(SafeFileHandle file, long length, long dataStart, string path)
    {
        var header = new byte[Math.Min(2 * TraceHeaderBytes, Math.Max(0, length - dataStart))];
        if (header.Length < TraceHeaderBytes) throw Invalid(path, $"no trace after the file header ({length} bytes, traces from byte {dataStart})");
        ReadExactly(file, dataStart, header, path);
        return header;
    }

    /// <summary>EBCDIC unless the text starts with an ASCII 'C' (as segyio decides) or holds more ASCII than EBCDIC spaces.</summary>
    private static bool IsEbcdic(ReadOnlySpan<byte> text)
    {
        if (text.IsEmpty || text[0] == (byte)'C') return false;
        if (text[0] == 0xC3) return true; // 'C' in EBCDIC
        return text.Count((byte)0x40) > text.Count((byte)0x20);
    }

    private static string Decode(ReadOnlySpan<byte> text, bool ebcdic)
    {
        var encoding = ebcdic ? CodePagesEncodingProvider.Instance.GetEncoding(37) ?? Encoding.Latin1 : Encoding.Latin1;
        var decoded = encoding.GetString(text);
        return string.Create(decoded.Length, decoded, (span, s) =>
        {
            for (var i = 0; i < s.Length; i++) span[i] = char.IsControl(s[i]) ? ' ' : s[i];
        });
    }

    private static RecordingFormatException Unsupported(string path, string reason) => new(path, RecordingProblem.UnsupportedFormat, reason);

    private static RecordingFormatException Invalid(string path, string reason) => new(path, RecordingProblem.Invalid, reason);

    /// <summary>Fields of a header in the file's byte order, at 0-based offsets.</summary>
    private readonly ref struct Fields(ReadOnlySpan<byte> bytes, bool bigEndian)
    {
        private readonly ReadOnlySpan<byte> _bytes = bytes;

        public short I16(int at) => bigEndian ? BinaryPrimitives.ReadInt16BigEndian(_bytes[at..]) : BinaryPrimitives.ReadInt16LittleEndian(_bytes[at..]);

        public int U16(int at) => bigEndian ? BinaryPrimitives.ReadUInt16BigEndian(_bytes[at..]) : BinaryPrimitives.ReadUInt16LittleEndian(_bytes[at..]);

        public int I32(int at) => bigEndian ? BinaryPrimitives.ReadInt32BigEndian(_bytes[at..]) : BinaryPrimitives.ReadInt32LittleEndian(_bytes[at..]);

        public ulong U64(int at) => bigEndian ? BinaryPrimitives.ReadUInt64BigEndian(_bytes[at..]) : BinaryPrimitives.ReadUInt64LittleEndian(_bytes[at..]);

        public double F64(int at) => BitConverter.Int64BitsToDouble((long)U64(at));
    }
}
