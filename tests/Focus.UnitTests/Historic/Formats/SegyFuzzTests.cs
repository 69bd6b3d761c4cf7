using System.Buffers.Binary;
using Focus.Analyzer.Historic;
using Focus.Analyzer.Historic.Formats;

namespace Focus.UnitTests.Historic.Formats;

/// <summary>
/// Hostile SEG-Y: segyio's files with random header bytes, random header fields set to extremes, and cut at random
/// lengths. Opening one either works (and then reading all of it works) or throws <see cref="RecordingFormatException"/>
/// with a reason; nothing else is thrown, and no open allocates more than a few headers' worth, whatever the file claims.
/// </summary>
public sealed class SegyFuzzTests(SegyFiles files) : IClassFixture<SegyFiles>
{
    private const long MaxOpenAllocation = 256 * 1024;

    /// <summary>Binary header fields the reader consults (0-based offsets in the file) and their widths.</summary>
    private static readonly (int Offset, int Width)[] Fields =
    [
        (3212, 2), (3214, 2), (3216, 2), (3220, 2), (3224, 2), (3260, 4), (3268, 4), (3272, 8), (3296, 4), (3500, 1),
        (3501, 1), (3504, 2), (3506, 2), (3512, 8), (3520, 8), (3528, 4),
    ];

    [Theory]
    [InlineData("f1-ibm-be.sgy", 1)]
    [InlineData("f3-int16-le.sgy", 2)]
    [InlineData("rev2-ieee-le.segy", 3)]
    [InlineData("records-int16-be.sgy", 4)]
    public void Random_headers_and_truncations_fail_with_a_reason_or_read(string name, int seed)
    {
        var original = File.ReadAllBytes(files.PathOf(files[name]));
        var random = new Random(seed);
        var path = Path.Combine(Path.GetTempPath(), $"focus-segy-fuzz-{Guid.NewGuid():N}.sgy");
        var outcomes = new Dictionary<string, int>();
        try
        {
            for (var round = 0; round < 600; round++)
            {
                var bytes = Mutate(original, random, round);
                File.WriteAllBytes(path, bytes);
                var outcome = OpenAndRead(path);
                outcomes[outcome] = outcomes.GetValueOrDefault(outcome) + 1;
            }
        }
        finally
        {
            File.Delete(path);
        }
        Assert.True(outcomes.GetValueOrDefault("read") > 0, "no mutated file was readable: the fuzz only tested refusals");
        Assert.True(outcomes.Keys.Count(k => k != "read") > 3, $"too few kinds of refusal: {string.Join(", ", outcomes.Keys)}");
    }

    private static byte[] Mutate(byte[] original, Random random, int round)
    {
        var bytes = (byte[])original.Clone();
        switch (round % 4)
        {
            case 0: // random bytes anywhere in the file header and the first two trace headers
                for (var i = random.Next(1, 12); i > 0; i--) bytes[random.Next(3200, Math.Min(bytes.Length, 3600 + 480))] = (byte)random.Next(256);
                break;
            case 1: // a field the reader consults set to an extreme, in either byte order
                var (offset, width) = Fields[random.Next(Fields.Length)];
                Span<byte> value = stackalloc byte[8];
                BinaryPrimitives.WriteInt64BigEndian(value, random.Next(5) switch
                {
                    0 => -1,
                    1 => long.MaxValue,
                    2 => 0,
                    3 => random.NextInt64(),
                    _ => 1L << random.Next(63),
                });
                value[(8 - width)..].CopyTo(bytes.AsSpan(offset, width));
                break;
            case 2: // cut anywhere
                bytes = bytes[..random.Next(0, bytes.Length)];
                break;
            default: // trace header times and counts garbled
                foreach (var at in new[] { 114, 116, 156, 158, 160, 162, 164, 240 + 140 })
                    if (random.Next(3) == 0 && 3600 + at + 1 < bytes.Length)
                        BinaryPrimitives.WriteInt16BigEndian(bytes.AsSpan(3600 + at), (short)random.Next(short.MinValue, short.MaxValue));
                break;
        }
        return bytes;
    }

    /// <summary>"read", or the refusal's reason without the numbers in it (the kinds of refusal).</summary>
    private static string OpenAndRead(string path)
    {
        var before = GC.GetAllocatedBytesForCurrentThread();
        IRecording recording;
        try
        {
            recording = RecordingFormats.Open(path);
        }
        catch (RecordingFormatException ex)
        {
            Assert.True(GC.GetAllocatedBytesForCurrentThread() - before < MaxOpenAllocation, $"refusing took {GC.GetAllocatedBytesForCurrentThread() - before} bytes: {ex.Message}");
            Assert.False(string.IsNullOrWhiteSpace(ex.Reason));
            var kind = new string(ex.Reason.Where(c => !char.IsAsciiDigit(c)).ToArray());
            return kind[..Math.Min(30, kind.Length)];
        }
        Assert.True(GC.GetAllocatedBytesForCurrentThread() - before < MaxOpenAllocation, $"opening took {GC.GetAllocatedBytesForCurrentThread() - before} bytes");
        using (recording)
        {
            var h = recording.Header;
            Assert.InRange(h.Channels, 1, 1 << 20);
            var rows = (int)Math.Min(h.SampleCount, Math.Max(1, 65_536 / h.Channels));
            var values = new float[rows * h.Channels];
            var times = new long[rows];
            recording.Read(0, rows, 1, h.Channels, values);
            recording.ReadTimes(0, times);
            recording.ReadTimes(h.SampleCount - 1, times.AsSpan(0, 1));
            Assert.True(times[0] >= (h.Start - DateTimeOffset.UnixEpoch).Ticks / 10, "the last row's time is before the first's");
        }
        return "read";
    }
}
