using System.Runtime.InteropServices;
using Focus.Analyzer.Pipeline;
using Focus.Analyzer.Streaming;
using Focus.Grains.Analyzers;
using Focus.Grains.Jobs;
using Google.Protobuf;

namespace Focus.UnitTests.Analyzers;

public sealed class PulledRowsTests
{
    private static PipelineSpec Spec(bool waterfall, int nfft, double prr = 2000) => new()
    {
        JobId = "1-1", IsWaterfall = waterfall, ChannelMin = 10, ChannelMax = 12, Prr = prr, Hop = waterfall ? nfft : 20, Nfft = nfft,
        FirstBin = 0, BinCount = waterfall ? 0 : 2, StreamAmount = waterfall ? 1 : 3, StartSampleIndex = 0,
    };

    private static PullSegment Segment(int first, int last, params float[] values) =>
        new(first, last, ByteString.CopyFrom(MemoryMarshal.AsBytes(values.AsSpan())));

    [Theory]
    [InlineData(1024, 2000, 512)]  // 512 ms
    [InlineData(20, 2000, 10)]     // a WATERFALL hop: 10 ms
    [InlineData(1, 2000, 1)]       // 0.5 ms rounds half away from zero to 1
    [InlineData(1, 4000, 1)]       // 0.25 ms: at least 1
    [InlineData(3, 2000, 2)]       // 1.5 ms -> 2
    public void A_rows_end_is_its_start_plus_the_frame_in_ms(int nfft, double prr, long ms) =>
        Assert.Equal(ms, PulledRows.FrameMilliseconds(Spec(false, nfft, prr)));

    [Fact]
    public void A_spectral_line_has_one_sensor_per_stream_with_its_spectrum()
    {
        var take = new PullTake([new PullLine(1_000, [Segment(10, 10, 1, 2), Segment(11, 11, 3, 4), Segment(12, 12, 5, 6)])], false, 0);
        var row = Assert.Single(PulledRows.From(take, Spec(false, 256)).Rows);
        Assert.Equal([10, 11, 12], row.Channels);
        Assert.Equal([1f, 2, 3, 4, 5, 6], row.Values);
        Assert.Equal(2, row.ValuesPerChannel);
        Assert.Equal((1_000L, 1_128L), (row.StartTimestamp, row.EndTimestamp));
    }

    [Fact]
    public void A_WATERFALL_line_has_every_channel_with_its_one_value()
    {
        var take = new PullTake([new PullLine(1_000, [Segment(10, 12, -3, -2, -1)])], false, 0);
        var row = Assert.Single(PulledRows.From(take, Spec(true, 20)).Rows);
        Assert.Equal([10, 11, 12], row.Channels);
        Assert.Equal(1, row.ValuesPerChannel);
        Assert.Equal(1_010L, row.EndTimestamp);
    }

    [Fact]
    public void No_line_is_empty_or_the_end()
    {
        Assert.Equal(PullState.Empty, PulledRows.From(new PullTake([], false, 0), Spec(false, 256)).State);
        Assert.Equal(PullState.Ended, PulledRows.From(PullTake.Finished, Spec(false, 256)).State);
    }
}
