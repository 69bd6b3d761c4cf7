using System.Buffers.Binary;
using Focus.Analyzer.Historic;
using Focus.Analyzer.Historic.Formats;
using Focus.Analyzer.Historic.Formats.SegY;
using Focus.Analyzer.Sources.Simulated;

namespace Focus.UnitTests.Historic.Formats;

/// <summary>
/// SEG-Y files written by segyio (every format and byte order read, EBCDIC and ASCII text, rev 2 fields, several
/// records) read back by <see cref="SegyRecording"/>: the header, every sample bit for bit, channel c = trace c, and
/// the rows' times from the files' own trace headers.
/// </summary>
public sealed class SegyRecordingTests(SegyFiles files) : IClassFixture<SegyFiles>
{
    public static TheoryData<string> Names => new(SegyCaseNames.All);

    [Theory]
    [MemberData(nameof(Names))]
    public void The_header_is_what_segyio_wrote(string name)
    {
        var file = files[name];
        using var recording = RecordingFormats.Open(files.PathOf(file));
        var segy = Assert.IsType<SegyRecording>(recording);
        var h = recording.Header;
        Assert.Equal("SEG-Y", h.Format);
        Assert.Equal(file.Channels, h.Channels);
        Assert.Equal(file.Samples, h.SampleCount);
        Assert.Equal(1e6 / file.IntervalUs, h.Prr, 9);
        Assert.Equal(file.Start, h.Start);
        Assert.Equal(file.Endian == "big", segy.BigEndian);
        Assert.Equal(!file.Ascii, segy.EbcdicText);
        Assert.StartsWith("C", segy.TextualHeader); // "C 1 ..." decoded, whichever the coding
        if (file.Ascii) Assert.Contains("ASCII TEXTUAL HEADER WRITTEN BY THE FOCUS TESTS", segy.TextualHeader);
        Assert.Equal($"rev {file.Revision}.0", h.SchemaVersion);
        Assert.Contains(file.Endian == "big" ? "big-endian" : "little-endian", segy.Description);
    }

    [Theory]
    [MemberData(nameof(Names))]
    public void Every_sample_is_the_one_stored_and_channel_c_is_trace_c(string name)
    {
        var file = files[name];
        var expected = files.Samples(file);
        using var recording = RecordingFormats.Open(files.PathOf(file));
        var rows = (int)file.Samples;
        var all = new float[rows * file.Channels];
        // In blocks of 777 rows (across record boundaries where there are records), as playback reads.
        for (var row = 0; row < rows; row += 777)
        {
            var n = Math.Min(777, rows - row);
            recording.Read(row, n, 1, file.Channels, all.AsSpan(row * file.Channels, n * file.Channels));
        }
        for (var i = 0; i < all.Length; i++)
            if ((float)expected[i] != all[i])
                Assert.Fail($"{name}: row {i / file.Channels} channel {i % file.Channels + 1} is {all[i]}, the file holds {expected[i]}");

        // One channel alone reads the same values as its column of all.
        var one = new float[rows];
        recording.Read(0, rows, 4, 1, one);
        for (var r = 0; r < rows; r++) Assert.Equal(all[r * file.Channels + 3], one[r]);
    }

    [Theory]
    [MemberData(nameof(Names))]
    public void Row_times_come_from_the_trace_headers(string name)
    {
        var file = files[name];
        using var recording = RecordingFormats.Open(files.PathOf(file));
        var times = new long[file.Samples];
        recording.ReadTimes(0, times);
        for (var i = 0; i < times.Length; i++)
            Assert.Equal(file.StartUs + (long)Math.Round(i * file.IntervalUs), times[i]);
    }

    [Fact]
    public void Ibm_floats_decode_to_their_values()
    {
        // 0x42640000 = 0.390625 * 16^2, 0xC276A000 = -(0.4634...) * 16^2 (the standard's example), 0x41100000 = 1/16 * 16^1.
        Assert.Equal(100f, SegySamples.Ibm(0x4264_0000));
        Assert.Equal(-118.625f, SegySamples.Ibm(0xC276_A000));
        Assert.Equal(1f, SegySamples.Ibm(0x4110_0000));
        Assert.Equal(0.5f, SegySamples.Ibm(0x4080_0000));
        Assert.Equal(0f, SegySamples.Ibm(0));
        Assert.Equal(float.PositiveInfinity, SegySamples.Ibm(0x7FFF_FFFF)); // 7.2e75 is past float32
    }

    [Fact]
    public void The_writer_s_files_read_back_with_a_sub_second_start_from_the_extended_trace_header()
    {
        var folder = Path.Combine(Path.GetTempPath(), $"focus-segy-writer-{Guid.NewGuid():N}");
        try
        {
            var fiber = new SimulatedFiber(new SimulatorOptions { Channels = 5, Prr = 2000 });
            var recorder = new SimulatedRecorder(fiber, 5);
            var from = new DateTimeOffset(2025, 3, 1, 0, 0, 7, TimeSpan.Zero).AddTicks(2_500_000); // .25 s
            var written = recorder.Record(folder, from, TimeSpan.FromSeconds(40), TimeSpan.FromSeconds(40), [], RecordingFileFormat.Segy);
            var (path, start, end) = Assert.Single(written);
            Assert.EndsWith(".segy", path);
            using var recording = RecordingFormats.Open(path);
            var h = recording.Header;
            Assert.Equal((start, end, 2000.0, 5, 80_000L), (h.Start, h.End, h.Prr, h.Channels, h.SampleCount)); // 80 000 samples: rev 2's 32-bit count
            var values = new float[100 * 5];
            recording.Read(70_000, 100, 1, 5, values);
            var truth = new float[100 * 5];
            fiber.Fill(1, 5, fiber.Clock.IndexAt(start) + 70_000, 100, truth);
            Assert.Equal(truth, values);
            var times = new long[2];
            recording.ReadTimes(79_999, times.AsSpan(0, 1));
            Assert.Equal(start.ToUnixTimeMilliseconds() * 1000 + 79_999 * 500, times[0]);

            // Whole-second starts carry no extended trace header (rev 1 readers read them too).
            var whole = recorder.Record(Path.Combine(folder, "whole"), from.AddTicks(-2_500_000), TimeSpan.FromSeconds(1), TimeSpan.FromSeconds(1), [], RecordingFileFormat.Segy);
            var bytes = File.ReadAllBytes(whole[0].Path);
            Assert.Equal(0, BinaryPrimitives.ReadInt16BigEndian(bytes.AsSpan(3506)));
            Assert.Equal(from.AddTicks(-2_500_000), RecordingFormats.ReadHeader(whole[0].Path).Start);
        }
        finally
        {
            if (Directory.Exists(folder)) Directory.Delete(folder, recursive: true);
        }
    }

    [Fact]
    public void A_file_that_is_not_SEG_Y_says_why()
    {
        var path = Path.Combine(Path.GetTempPath(), $"focus-not-segy-{Guid.NewGuid():N}.sgy");
        try
        {
            File.WriteAllText(path, "short");
            var error = Assert.Throws<RecordingFormatException>(() => RecordingFormats.Open(path));
            Assert.Equal(RecordingProblem.UnsupportedFormat, error.Problem);
            Assert.Contains("shorter than SEG-Y's 3600-byte file header", error.Message);

            var header = new byte[3600 + 240 + 40];
            BinaryPrimitives.WriteInt16BigEndian(header.AsSpan(3224), 6); // IEEE double: not read
            File.WriteAllBytes(path, header);
            error = Assert.Throws<RecordingFormatException>(() => RecordingFormats.Open(path));
            Assert.Contains("format 6 (IEEE double) is not read", error.Message);

            BinaryPrimitives.WriteInt16BigEndian(header.AsSpan(3224), 0x3030); // text where the binary header should be
            File.WriteAllBytes(path, header);
            error = Assert.Throws<RecordingFormatException>(() => RecordingFormats.Open(path));
            Assert.Contains("no format 1..16 in either byte order", error.Message);
        }
        finally
        {
            File.Delete(path);
        }
    }
}
