using Focus.Analyzer.Sources;
using Focus.Analyzer.Sources.Simulated;
using Microsoft.Extensions.Time.Testing;

namespace Focus.UnitTests.Sources;

public class SimulatedLiveSourceTests
{
    static readonly DateTimeOffset Start = new(2026, 1, 1, 12, 0, 0, TimeSpan.Zero);
    static readonly TimeSpan Timeout = TimeSpan.FromSeconds(10);

    readonly FakeTimeProvider time = new(Start);
    readonly SimulatedLiveSource source;
    readonly long now; // the newest sample at Start

    public SimulatedLiveSourceTests()
    {
        source = new SimulatedLiveSource(new SimulatorOptions(), time);
        now = source.SampleClock.IndexAt(Start);
    }

    /// <summary>Reads the next block, moving the fake clock to the instant of its last sample if it is not there yet.</summary>
    async Task<SampleBlock> ReadPacedAsync(ILiveReader reader, long expectedFirst)
    {
        var read = reader.ReadAsync(CancellationToken.None).AsTask();
        var due = source.SampleClock.TimeOf(expectedFirst + source.ChunkSamples - 1);
        if (!read.IsCompleted)
        {
            Assert.True(time.GetUtcNow() < due, "a block that exists already is returned at once");
            time.SetUtcNow(due);
        }
        var block = await read.WaitAsync(Timeout);
        Assert.NotNull(block);
        return block;
    }

    [Fact]
    public void Defaults_give_20_ms_blocks_and_a_5_s_history()
    {
        Assert.Equal(2000, source.Prr);
        Assert.Equal(40, source.ChunkSamples);
        Assert.Equal(10_000, source.HistorySamples);
        Assert.Equal(Start.ToUnixTimeSeconds() * 2000, now);
    }

    [Fact]
    public async Task A_new_reader_gets_its_first_block_at_once_from_the_history()
    {
        await using var reader = source.Open(10, 14, fromSampleIndex: 0);
        var read = reader.ReadAsync(CancellationToken.None);
        Assert.True(read.IsCompletedSuccessfully);
        var block = (await read)!;
        Assert.Equal(now + 1 - 10_000, block.FirstSampleIndex);
        Assert.Equal((10, 5, 40), (block.FirstChannel, block.ChannelCount, block.SampleCount));
        var expected = new float[5 * 40];
        source.Fiber.Fill(10, 5, block.FirstSampleIndex, 40, expected);
        Assert.Equal(expected, block.Span.ToArray());
    }

    [Fact]
    public async Task A_reader_starts_at_the_requested_sample_when_it_is_recent()
    {
        await using var reader = source.Open(1, 1, now - 100);
        Assert.Equal(now - 100, (await reader.ReadAsync(CancellationToken.None))!.FirstSampleIndex);
    }

    [Fact]
    public async Task A_block_is_returned_no_earlier_than_its_last_sample()
    {
        await using var reader = source.Open(1, 4, now + 1);
        var read = reader.ReadAsync(CancellationToken.None).AsTask();
        time.Advance(TimeSpan.FromMilliseconds(19)); // sample now + 40 is 20 ms after Start
        Assert.False(read.IsCompleted);
        time.Advance(TimeSpan.FromMilliseconds(1));
        var block = (await read.WaitAsync(Timeout))!;
        Assert.Equal(now + 1, block.FirstSampleIndex);
    }

    [Fact]
    public async Task A_reader_asked_for_the_future_waits_for_it()
    {
        await using var reader = source.Open(1, 4, now + 2000);
        var read = reader.ReadAsync(CancellationToken.None).AsTask();
        time.Advance(TimeSpan.FromMilliseconds(1019)); // the block's last sample is 1019.5 ms after Start
        Assert.False(read.IsCompleted);
        time.Advance(TimeSpan.FromMilliseconds(1));
        Assert.Equal(now + 2000, (await read.WaitAsync(Timeout))!.FirstSampleIndex);
    }

    [Fact]
    public async Task Blocks_are_consecutive_through_the_history_and_into_live_data()
    {
        await using var reader = source.Open(500, 509, 0);
        long expected = now + 1 - 10_000;
        var samples = new float[10 * 40];
        for (int i = 0; i < 300; i++) // 250 blocks of history, then 50 live ones
        {
            var block = await ReadPacedAsync(reader, expected);
            Assert.Equal(expected, block.FirstSampleIndex);
            source.Fiber.Fill(500, 10, expected, 40, samples);
            Assert.Equal(samples, block.Span.ToArray());
            expected += 40;
        }
        Assert.Equal(Start + TimeSpan.FromSeconds(1), time.GetUtcNow()); // paced: the 50 live blocks took 1 s
    }

    [Fact]
    public async Task A_reader_that_falls_behind_the_history_skips_to_the_oldest_sample_kept()
    {
        await using var reader = source.Open(1, 2, 0);
        await reader.ReadAsync(CancellationToken.None);
        time.Advance(TimeSpan.FromMinutes(1));
        var block = (await reader.ReadAsync(CancellationToken.None))!;
        Assert.Equal(source.SampleClock.IndexAt(time.GetUtcNow()) + 1 - 10_000, block.FirstSampleIndex);
    }

    [Fact]
    public async Task Cancelling_a_read_throws_and_leaves_the_reader_usable()
    {
        await using var reader = source.Open(1, 2, now + 1);
        using var cancel = new CancellationTokenSource();
        var read = reader.ReadAsync(cancel.Token).AsTask();
        cancel.Cancel();
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => read.WaitAsync(Timeout));
        Assert.Equal(now + 1, (await ReadPacedAsync(reader, now + 1)).FirstSampleIndex);
    }

    [Fact]
    public async Task Disposing_ends_a_pending_read_and_later_reads_with_null()
    {
        var reader = source.Open(1, 2, now + 1);
        var read = reader.ReadAsync(CancellationToken.None).AsTask();
        await reader.DisposeAsync();
        Assert.Null(await read.WaitAsync(Timeout));
        Assert.Null(await reader.ReadAsync(CancellationToken.None));
    }

    [Theory]
    [InlineData(0, 5)]
    [InlineData(5, 4)]
    [InlineData(2200, 2223)]
    public void Opening_channels_outside_the_fiber_is_refused(int first, int last) =>
        Assert.Throws<ArgumentOutOfRangeException>(() => source.Open(first, last, now));

    [Fact]
    public void Metadata_describes_the_fiber_as_Prpcast_Info_would()
    {
        var m = source.Metadata;
        Assert.Equal(new SimulatedFiberMetadata(2000, 2222, 1.02, 0, 2222 * 1.02, "focus-simulator 1.0",
            new SimulatorOptions().FiberDescription, "simulator", 64, 40), m);
    }
}
