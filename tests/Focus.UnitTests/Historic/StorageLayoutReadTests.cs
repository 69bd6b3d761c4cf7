using Focus.Analyzer.Historic;
using Microsoft.Extensions.Logging.Abstractions;

namespace Focus.UnitTests.Historic;

/// <summary>
/// Issue 18 item 4, fast narrow reads, judged on correctness only: recordings in every storage layout, written by h5py
/// (<c>layout_recordings.py</c>), read back wide (every column) and narrow (a few columns, any rows) equal what h5py
/// wrote, and a narrow read equals the wide read's columns. The reader picks its way by layout (direct reads of
/// contiguous storage, chunk by chunk for chunked storage); the tests check which way each file took, so every way is
/// exercised. Times are in docs/PERFORMANCE.md.
/// </summary>
public sealed class StorageLayoutReadTests(StorageLayoutReadTests.Folder files) : IClassFixture<StorageLayoutReadTests.Folder>
{
    public sealed class Folder : IDisposable
    {
        public string Path { get; } = System.IO.Path.Combine(System.IO.Path.GetTempPath(), $"focus-layouts-{Guid.NewGuid():N}");

        public Folder()
        {
            Directory.CreateDirectory(Path);
            H5py.Run("layout_recordings.py", Path);
        }

        public string File(string name) => System.IO.Path.Combine(Path, name);

        public void Dispose() => Directory.Delete(Path, recursive: true);
    }

    /// <summary>The file, the way its samples are read (the start of <see cref="ProdmlRecording.Storage"/>), the value never written.</summary>
    public static TheoryData<string, string> Layouts => new()
    {
        { "contiguous-float32.h5", "contiguous at byte" },
        { "contiguous-int16.h5", "contiguous at byte" },
        { "contiguous-int16-latest.h5", "contiguous at byte" },
        { "contiguous-wide-rows.h5", "contiguous at byte" },
        { "chunked-float32.h5", "chunked [700, 16]" },
        { "chunked-int16-deflate-shuffle.h5", "chunked [1000, 37]" },
        { "chunked-float32-deflate-latest.h5", "chunked [512, 9]" },
        { "chunked-tall-narrow.h5", "chunked [4096, 1]" },
    };

    /// <summary>What h5py wrote at [row][column] (layout_recordings.py's value()).</summary>
    private static float Expected(long row, int column, RawSampleType type)
    {
        var v = (row * 7 + column * 13) % 2001 - 1000;
        return type == RawSampleType.Float32 ? v + (row % 4) * 0.25f : v;
    }

    [Theory]
    [MemberData(nameof(Layouts))]
    public void A_wide_read_in_blocks_returns_what_h5py_wrote(string name, string storage)
    {
        using var recording = ProdmlRecording.Open(files.File(name));
        Assert.StartsWith(storage, recording.Storage);
        var h = recording.Header;
        foreach (var blockRows in new[] { RecordingBlockReader.RowsPerBlock(h.Channels), 333 })
        {
            var block = new float[blockRows * h.Channels];
            for (long row = 0; row < h.SampleCount; row += blockRows)
            {
                var rows = (int)Math.Min(blockRows, h.SampleCount - row);
                recording.Read(row, rows, 1, h.Channels, block);
                for (var r = 0; r < rows; r++)
                    for (var c = 0; c < h.Channels; c++)
                        if (block[r * h.Channels + c] != Expected(row + r, c, h.SampleType))
                            Assert.Fail($"[{row + r}][{c}] is {block[r * h.Channels + c]}, h5py wrote {Expected(row + r, c, h.SampleType)}");
            }
        }
    }

    [Theory]
    [MemberData(nameof(Layouts))]
    public void A_narrow_read_equals_the_wide_reads_columns(string name, string storage)
    {
        using var recording = ProdmlRecording.Open(files.File(name));
        Assert.StartsWith(storage, recording.Storage);
        var h = recording.Header;
        var wide = new float[h.SampleCount * h.Channels];
        recording.Read(0, (int)h.SampleCount, 1, h.Channels, wide);

        // Single channels at the edges and the middle, ranges across chunk boundaries; rows from anywhere.
        var middle = h.Channels / 2 + 1;
        (int First, int Count)[] ranges =
        [
            (1, 1), (middle, 1), (h.Channels, 1), (2, Math.Min(5, h.Channels - 1)), (Math.Max(1, middle - 9), Math.Min(18, h.Channels)),
            (1, h.Channels - 1), (2, h.Channels - 1),
        ];
        (long First, int Count)[] rows = [(0, 1), (0, 4096), (1, 700), (699, 2), (h.SampleCount - 1, 1), (h.SampleCount / 2 + 3, 1500), (0, (int)h.SampleCount)];
        foreach (var (first, count) in ranges)
        {
            foreach (var (row, requested) in rows.Where(r => r.First < h.SampleCount))
            {
                var n = (int)Math.Min(requested, h.SampleCount - row);
                var narrow = new float[n * count];
                recording.Read(row, n, first, count, narrow);
                for (var r = 0; r < n; r++)
                    for (var c = 0; c < count; c++)
                        if (narrow[r * count + c] != wide[(row + r) * h.Channels + first - 1 + c])
                            Assert.Fail($"channels {first}+{count}, rows {row}+{n}: [{row + r}][{first - 1 + c}] is {narrow[r * count + c]}, the wide read has {wide[(row + r) * h.Channels + first - 1 + c]}");
            }
        }
    }

    [Fact]
    public void Contiguous_files_are_read_straight_from_the_file_and_a_wide_row_row_by_row()
    {
        using var wideRows = ProdmlRecording.Open(files.File("contiguous-wide-rows.h5"));
        Assert.IsType<ContiguousSampleMatrix>(wideRows.Samples);
        Assert.True((wideRows.Header.Channels - 1) * sizeof(float) > ContiguousSampleMatrix.MaxGapBytes,
            "the file's rows must be wider than MaxGapBytes, so one channel is read a row at a time");
        var one = new float[wideRows.Header.SampleCount];
        wideRows.Read(0, one.Length, 4321, 1, one);
        for (var r = 0; r < one.Length; r++) Assert.Equal(Expected(r, 4320, RawSampleType.Float32), one[r]);
    }

    [Fact]
    public void A_chunk_is_inflated_once_however_the_blocks_cut_it()
    {
        using var recording = ProdmlRecording.Open(files.File("chunked-float32.h5"));
        var chunked = Assert.IsType<ChunkedSampleMatrix>(recording.Samples);
        var h = recording.Header;
        // Channels 10..20 touch chunk columns 0 and 1 ([700, 16] chunks); 5000 rows are 8 bands. Blocks of 333 rows
        // cut most bands in two or three.
        var block = new float[333 * 11];
        for (long row = 0; row < h.SampleCount; row += 333)
            recording.Read(row, (int)Math.Min(333, h.SampleCount - row), 10, 11, block);
        Assert.Equal(8 * 2, chunked.ChunksInflated);
    }

    [Fact]
    public void Storage_never_written_reads_as_its_fill_value()
    {
        using (var unwritten = ProdmlRecording.Open(files.File("contiguous-unwritten.h5")))
        {
            Assert.IsType<PureHdfSampleMatrix>(unwritten.Samples);
            var values = new float[unwritten.Header.SampleCount * 3];
            unwritten.Read(0, (int)unwritten.Header.SampleCount, 2, 3, values);
            Assert.All(values, v => Assert.Equal(3f, v));
        }

        using var partly = ProdmlRecording.Open(files.File("chunked-partly-written.h5"));
        Assert.IsType<ChunkedSampleMatrix>(partly.Samples);
        var h = partly.Header;
        var one = new float[h.SampleCount * 2];
        partly.Read(0, (int)h.SampleCount, 8, 2, one); // channels 8 and 9: chunk columns 0 and 1
        for (var r = 0; r < h.SampleCount; r++)
            for (var c = 0; c < 2; c++)
                Assert.Equal(r is >= 1000 and < 3000 ? Expected(r, 7 + c, RawSampleType.Float32) : 0f, one[r * 2 + c]);
    }

    [Fact]
    public void A_contiguous_file_cut_short_inside_its_samples_is_refused_with_the_reason()
    {
        var error = Assert.Throws<RecordingFormatException>(() => ProdmlRecording.Open(files.File("contiguous-cut-short.h5")));
        Assert.Equal(RecordingProblem.Invalid, error.Problem);
        Assert.Contains("past the end", error.Reason);
    }

    [Theory]
    [MemberData(nameof(Layouts))]
    public void The_block_reader_of_one_channel_equals_the_block_reader_of_all(string name, string storage)
    {
        _ = storage;
        var path = files.File(name);
        var h = ProdmlRecording.ReadHeader(path);
        var first = RecordingBlockReader.SampleIndexOf(h.Start, h.Prr);
        var plan = new HistoricPlan { FirstSample = first + 17, EndSample = first + h.SampleCount, Files = [path] };
        var channel = h.Channels / 2 + 1;
        var all = ReadAll(plan, h, 1, h.Channels);
        var one = ReadAll(plan, h, channel, 1);
        Assert.Equal(all.Count, one.Count);
        for (var i = 0; i < all.Count; i++)
        {
            Assert.Equal(all[i].Row, one[i].Row);
            Assert.Equal(all[i].Values[channel - 1], one[i].Values[0]);
        }
    }

    private static List<(long Row, float[] Values)> ReadAll(HistoricPlan plan, RecordingHeader h, int channelMin, int channelCount)
    {
        var rows = new List<(long, float[])>();
        using var reader = new RecordingBlockReader(plan, h.Prr, channelMin, channelCount, plan.EndSample, NullLogger.Instance);
        while (reader.Next(plan.FirstSample) is { } block)
            for (var r = 0; r < block.SampleCount; r++)
                rows.Add((block.FirstSampleIndex + r, block.Samples.AsSpan(r * channelCount, channelCount).ToArray()));
        return rows;
    }
}
