using Focus.Analyzer.Pipeline;
using Focus.Analyzer.Sources;
using Focus.Analyzer.Streaming;

namespace Focus.UnitTests.Streaming;

public sealed class FrameAssemblerTests
{
    /// <summary>Channels firstChannel.. of samples start..: value = sample index * 100 + channel.</summary>
    private static SampleBlock Block(long start, int samples, int firstChannel = 1, int channels = 2)
    {
        var data = new float[samples * channels];
        for (var t = 0; t < samples; t++)
            for (var c = 0; c < channels; c++)
                data[t * channels + c] = (start + t) * 100 + firstChannel + c;
        return new SampleBlock(start, firstChannel, channels, samples, data);
    }

    private static List<(long Line, float First)> Drain(FrameAssembler assembler)
    {
        var frames = new List<(long, float)>();
        while (assembler.TryTakeFrame(out var frame, out var line)) frames.Add((line, frame[0]));
        return frames;
    }

    [Fact]
    public void Frames_start_hop_apart_from_the_origin()
    {
        var assembler = new FrameAssembler(1, 2, frameSamples: 8, hop: 4, origin: 1000);
        assembler.Reset(0);
        Assert.False(assembler.Append(Block(1000, 10)));
        Assert.Equal([(0L, 1000 * 100 + 1f)], Drain(assembler)); // line 1 needs samples up to 1012
        Assert.False(assembler.Append(Block(1010, 10)));
        Assert.Equal([(1L, 1004 * 100 + 1f), (2L, 1008 * 100 + 1f), (3L, 1012 * 100 + 1f)], Drain(assembler));
        Assert.True(assembler.BufferedSamples <= 8 + 10);
    }

    [Fact]
    public void Input_starting_later_aligns_to_the_next_line()
    {
        var assembler = new FrameAssembler(1, 2, frameSamples: 8, hop: 4, origin: 1000);
        assembler.Reset(2); // asks from sample 1008; the source only has 1010 on
        assembler.Append(Block(1010, 20));
        var frames = Drain(assembler);
        Assert.Equal(3, frames[0].Line); // sample 1012
        Assert.Equal(1012 * 100 + 1f, frames[0].First);
    }

    [Fact]
    public void A_gap_resynchronises_and_counts()
    {
        var assembler = new FrameAssembler(1, 2, frameSamples: 8, hop: 4, origin: 0);
        assembler.Reset(0);
        assembler.Append(Block(0, 10));
        Drain(assembler);
        Assert.True(assembler.Append(Block(30, 10)));
        var frames = Drain(assembler);
        Assert.Equal([(8L, 3200 + 1f)], frames); // line 8 starts at 32, the first inside the new data
    }

    [Fact]
    public void Repeated_samples_are_skipped_not_a_gap()
    {
        var assembler = new FrameAssembler(1, 2, frameSamples: 4, hop: 4, origin: 0);
        assembler.Reset(0);
        assembler.Append(Block(0, 6));
        Drain(assembler);
        Assert.False(assembler.Append(Block(2, 6))); // 2..5 again, then 6, 7
        Assert.Equal([(1L, 400 + 1f)], Drain(assembler));
        Assert.False(assembler.Append(Block(0, 4))); // entirely old
        Assert.Empty(Drain(assembler));
    }

    [Fact]
    public void A_wider_block_gives_only_the_job_channels_time_major()
    {
        var assembler = new FrameAssembler(channelMin: 3, channels: 2, frameSamples: 2, hop: 2, origin: 0);
        assembler.Reset(0);
        assembler.Append(Block(0, 2, firstChannel: 1, channels: 5));
        Assert.True(assembler.TryTakeFrame(out var frame, out _));
        Assert.Equal([3f, 4f, 103f, 104f], frame.ToArray());
    }

    [Fact]
    public void A_block_without_the_job_channels_is_rejected()
    {
        var assembler = new FrameAssembler(channelMin: 3, channels: 2, frameSamples: 2, hop: 2, origin: 0);
        Assert.Throws<InvalidDataException>(() => assembler.Append(Block(0, 2, firstChannel: 4, channels: 4)));
    }

    [Fact]
    public void Hop_longer_than_the_frame_skips_the_samples_between()
    {
        var assembler = new FrameAssembler(1, 1, frameSamples: 2, hop: 5, origin: 0);
        assembler.Reset(0);
        assembler.Append(Block(0, 12, channels: 1));
        Assert.Equal([(0L, 1f), (1L, 501f), (2L, 1001f)], Drain(assembler));
    }

    [Fact]
    public void Newest_complete_line_and_line_at_or_after()
    {
        var assembler = new FrameAssembler(1, 1, frameSamples: 8, hop: 4, origin: 100);
        Assert.Equal(0, assembler.LastLineEndingBy(50));
        Assert.Equal(0, assembler.LastLineEndingBy(108));
        Assert.Equal(2, assembler.LastLineEndingBy(119));
        Assert.Equal(0, assembler.LineAtOrAfter(90));
        Assert.Equal(1, assembler.LineAtOrAfter(101));
        Assert.Equal(1, assembler.LineAtOrAfter(104));
    }

    [Theory]
    [InlineData(0L, 2000.0, 0L)]
    [InlineData(3L, 2048.0, 1L)]          // 1.46 ms floors to 1
    [InlineData(3_600_000_000_000L, 2000.0, 1_800_000_000_000L)]
    [InlineData(7L, 1000.5, 6L)]          // non-integral prr: 6.996 ms
    public void Timestamps_floor_the_first_sample_time(long sampleIndex, double prr, long expected) =>
        Assert.Equal(expected, LineBatch.TimestampMs(sampleIndex, prr));
}
