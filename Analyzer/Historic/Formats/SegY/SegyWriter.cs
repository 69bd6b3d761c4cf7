using System.Buffers.Binary;
using System.Globalization;
using System.Text;

namespace Focus.Analyzer.Historic.Formats.SegY;

/// <summary>
/// Writes a SEG-Y rev 2.0 recording as <see cref="SegyRecording"/> reads it (and as a DAS recorder's SEG-Y export is laid
/// out): big-endian with the byte-order word, EBCDIC textual header, IEEE float samples (format 5), one record of one
/// trace per channel. The sample count and interval are in the rev 1 fields where they fit (16 bits, whole µs) and in
/// rev 2's extended ones always; each trace header holds the first sample's UTC time to the second (bytes 157-166,
/// time basis 4), and, when the start has a fraction of a second, one additional trace header holds its nanoseconds
/// (bytes 141-144, named SEG00001), else there is none (files that start on a second stay readable by rev 1 readers).
/// Samples are asked for block by block and written into every trace, so a file of any length is written with one
/// block in memory.
/// </summary>
public static class SegyWriter
{
    /// <summary>Rows asked of the fill at a time.</summary>
    public const int BlockRows = 2000;

    /// <param name="path">The file to create (replaced if it exists).</param>
    /// <param name="firstSampleIndex">Sample index (since the epoch at <paramref name="prr"/>) of row 0.</param>
    /// <param name="fill">Fills <c>[rows][channels]</c> float32 for rows starting at the given sample index.</param>
    public static void Write(string path, double prr, int channels, long firstSampleIndex, long samples,
        Action<long, int, Span<float>> fill, string description = "focus-simulator")
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(channels, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(samples, 1);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(samples, int.MaxValue);
        if (!(prr > 0)) throw new ArgumentOutOfRangeException(nameof(prr), prr, "prr must be positive");

        var start = new Sources.Simulated.SampleClock(prr).TimeOf(firstSampleIndex);
        var interval = 1e6 / prr;
        var fraction = start.UtcTicks % TimeSpan.TicksPerSecond;
        var extra = fraction == 0 ? 0 : 1;
        var headerBytes = SegyLayout.TraceHeaderBytes * (1 + extra);
        var traceBytes = headerBytes + samples * 4;

        using var file = File.OpenHandle(path, FileMode.Create, FileAccess.ReadWrite, FileShare.None, FileOptions.None, SegyLayout.FileHeaderBytes + channels * traceBytes);
        RandomAccess.Write(file, FileHeader(channels, (int)samples, interval, extra, start, description), 0);
        var trace = new byte[headerBytes];
        for (var c = 0; c < channels; c++)
        {
            TraceHeader(trace, c, (int)samples, interval, start, extra);
            RandomAccess.Write(file, trace, SegyLayout.FileHeaderBytes + c * traceBytes);
        }

        var block = new float[BlockRows * channels];
        var column = new byte[BlockRows * 4];
        for (long row = 0; row < samples; row += BlockRows)
        {
            var rows = (int)Math.Min(BlockRows, samples - row);
            fill(firstSampleIndex + row, rows, block.AsSpan(0, rows * channels));
            for (var c = 0; c < channels; c++)
            {
                for (var r = 0; r < rows; r++) BinaryPrimitives.WriteSingleBigEndian(column.AsSpan(4 * r), block[r * channels + c]);
                RandomAccess.Write(file, column.AsSpan(0, rows * 4), SegyLayout.FileHeaderBytes + c * traceBytes + headerBytes + row * 4);
            }
        }
    }

    private static byte[] FileHeader(int channels, int samples, double interval, int extra, DateTimeOffset start, string description)
    {
        var header = new byte[SegyLayout.FileHeaderBytes];
        string[] lines =
        [
            $"C 1 DAS RECORDING WRITTEN BY {description.ToUpperInvariant()}",
            $"C 2 {channels} CHANNELS, ONE TRACE PER CHANNEL (CHANNEL C IS TRACE C), ONE RECORD",
            $"C 3 {samples} SAMPLES PER TRACE AT {interval.ToString("R", CultureInfo.InvariantCulture)} US, IEEE FLOAT",
            $"C 4 FIRST SAMPLE {start.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.fffffff'Z'", CultureInfo.InvariantCulture)}",
            "C39 SEG-Y_REV2.0",
            "C40 END TEXTUAL HEADER",
        ];
        var text = new StringBuilder();
        for (var i = 1; i <= 40; i++)
        {
            var line = lines.FirstOrDefault(l => l.StartsWith($"C{i,2} ", StringComparison.Ordinal)) ?? $"C{i,2}";
            text.Append(line.PadRight(80)[..80]);
        }
        (CodePagesEncodingProvider.Instance.GetEncoding(37) ?? Encoding.ASCII).GetBytes(text.ToString(), header);

        var bin = header.AsSpan(SegyLayout.TextHeaderBytes);
        BinaryPrimitives.WriteInt32BigEndian(bin[4..], 1);                                     // 3205 line number
        BinaryPrimitives.WriteInt16BigEndian(bin[12..], (short)Math.Min(channels, short.MaxValue)); // 3213 data traces per ensemble
        var wholeMicros = interval == Math.Round(interval) && interval <= ushort.MaxValue ? (ushort)interval : (ushort)0;
        BinaryPrimitives.WriteUInt16BigEndian(bin[16..], wholeMicros);                        // 3217 interval (µs)
        BinaryPrimitives.WriteUInt16BigEndian(bin[18..], wholeMicros);                        // 3219 original interval
        var shortSamples = samples <= ushort.MaxValue ? (ushort)samples : (ushort)0;
        BinaryPrimitives.WriteUInt16BigEndian(bin[20..], shortSamples);                       // 3221 samples per trace
        BinaryPrimitives.WriteUInt16BigEndian(bin[22..], shortSamples);                       // 3223 original samples
        BinaryPrimitives.WriteInt16BigEndian(bin[24..], SegySamples.IeeeFloat);              // 3225 format 5
        BinaryPrimitives.WriteInt16BigEndian(bin[26..], 1);                                   // 3227 ensemble fold
        BinaryPrimitives.WriteInt16BigEndian(bin[28..], 1);                                   // 3229 sorting: as recorded
        BinaryPrimitives.WriteInt16BigEndian(bin[54..], 1);                                   // 3255 metres
        BinaryPrimitives.WriteInt32BigEndian(bin[60..], channels);                            // 3261 ext. traces per ensemble
        BinaryPrimitives.WriteInt32BigEndian(bin[68..], samples);                             // 3269 ext. samples
        BinaryPrimitives.WriteDoubleBigEndian(bin[72..], interval);                           // 3273 ext. interval
        BinaryPrimitives.WriteDoubleBigEndian(bin[80..], interval);                           // 3281 ext. original interval
        BinaryPrimitives.WriteInt32BigEndian(bin[88..], samples);                             // 3289 ext. original samples
        BinaryPrimitives.WriteUInt32BigEndian(bin[96..], 0x0102_0304);                        // 3297 byte-order word
        bin[300] = 2;                                                                         // 3501 revision 2
        bin[301] = 0;                                                                         // 3502 .0
        BinaryPrimitives.WriteInt16BigEndian(bin[302..], 1);                                  // 3503 fixed-length traces
        BinaryPrimitives.WriteInt16BigEndian(bin[306..], (short)extra);                       // 3507 additional trace headers
        BinaryPrimitives.WriteInt16BigEndian(bin[310..], 4);                                  // 3511 time basis: UTC
        BinaryPrimitives.WriteUInt64BigEndian(bin[312..], (ulong)channels);                   // 3513 traces in the file
        BinaryPrimitives.WriteUInt64BigEndian(bin[320..], SegyLayout.FileHeaderBytes);        // 3521 first trace offset
        return header;
    }

    private static void TraceHeader(Span<byte> trace, int channel, int samples, double interval, DateTimeOffset start, int extra)
    {
        trace.Clear();
        var utc = start.UtcDateTime;
        BinaryPrimitives.WriteInt32BigEndian(trace[0..], channel + 1);                        // 1 sequence in line
        BinaryPrimitives.WriteInt32BigEndian(trace[4..], channel + 1);                        // 5 sequence in file
        BinaryPrimitives.WriteInt32BigEndian(trace[8..], 1);                                  // 9 field record
        BinaryPrimitives.WriteInt32BigEndian(trace[12..], channel + 1);                       // 13 trace in record
        BinaryPrimitives.WriteInt16BigEndian(trace[28..], 1);                                 // 29 trace id: seismic data
        BinaryPrimitives.WriteUInt16BigEndian(trace[114..], samples <= ushort.MaxValue ? (ushort)samples : (ushort)0); // 115
        BinaryPrimitives.WriteUInt16BigEndian(trace[116..], interval == Math.Round(interval) && interval <= ushort.MaxValue ? (ushort)interval : (ushort)0); // 117
        BinaryPrimitives.WriteInt16BigEndian(trace[156..], (short)utc.Year);                  // 157 year
        BinaryPrimitives.WriteInt16BigEndian(trace[158..], (short)utc.DayOfYear);             // 159 day of year
        BinaryPrimitives.WriteInt16BigEndian(trace[160..], (short)utc.Hour);                  // 161 hour
        BinaryPrimitives.WriteInt16BigEndian(trace[162..], (short)utc.Minute);                // 163 minute
        BinaryPrimitives.WriteInt16BigEndian(trace[164..], (short)utc.Second);                // 165 second
        BinaryPrimitives.WriteInt16BigEndian(trace[166..], 4);                                // 167 time basis: UTC
        if (extra == 0) return;
        var ext = trace[SegyLayout.TraceHeaderBytes..];
        BinaryPrimitives.WriteInt64BigEndian(ext[0..], channel + 1);                          // 1 sequence in line
        BinaryPrimitives.WriteInt64BigEndian(ext[8..], channel + 1);                          // 9 sequence in file
        BinaryPrimitives.WriteInt64BigEndian(ext[16..], 1);                                   // 17 field record
        BinaryPrimitives.WriteInt32BigEndian(ext[136..], samples);                            // 137 samples
        BinaryPrimitives.WriteInt32BigEndian(ext[140..], (int)(utc.Ticks % TimeSpan.TicksPerSecond * 100)); // 141 nanoseconds
        BinaryPrimitives.WriteDoubleBigEndian(ext[144..], interval);                          // 145 interval
        "SEG00001"u8.CopyTo(ext[232..]);                                                      // 233 header name
    }
}
