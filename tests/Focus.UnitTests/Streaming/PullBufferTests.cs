using Focus.Analyzer.Pipeline;
using Focus.Analyzer.Streaming;
using Focus.Analyzer.Streaming.Protos;
using Google.Protobuf;
using Microsoft.Extensions.Time.Testing;

namespace Focus.UnitTests.Streaming;

public sealed class PullBufferTests
{
    private static readonly TimeSpan Idle = TimeSpan.FromMinutes(3);
    private static readonly TimeSpan Deadline = TimeSpan.FromSeconds(10);

    /// <summary>Lines <paramref name="row"/>.. of stream <paramref name="stream"/> (channel 10+stream), <paramref name="values"/> floats each, valued by row.</summary>
    private static DataStream Message(int stream, int row, int lines = 1, int values = 4)
    {
        var message = new DataStream { StartChannel = 10 + stream, EndChannel = 10 + stream, DataShapeX = values, DataShapeY = lines };
        for (var i = 0; i < lines; i++)
        {
            message.RowIndex.Add(row + i);
            message.TimestampInMilis.Add(1_000 + 10L * (row + i));
            message.MainData.Add(ByteString.CopyFrom(new byte[values * sizeof(float)]));
        }
        return message;
    }

    [Fact]
    public void A_line_is_pulled_once_every_stream_has_given_its_part_oldest_first()
    {
        var streams = new JobStreams("j", 3, 4, TimeProvider.System);
        var pull = streams.OpenPull(Idle, out var opened);
        Assert.True(opened);
        Assert.True(streams.HasReaders(2)); // every stream is read now, so the pipeline computes all of them
        Assert.Equal(1, streams.ReaderCount);

        streams.Publish(0, Message(0, 0, lines: 2));
        streams.Publish(1, Message(1, 0, lines: 2));
        Assert.Empty(pull.Take(10).Lines);
        streams.Publish(2, Message(2, 0, lines: 2));

        var take = pull.Take(10);
        Assert.Equal([1_000L, 1_010L], take.Lines.Select(l => l.TimestampMs));
        Assert.All(take.Lines, l => Assert.Equal([10, 11, 12], l.Segments.Select(s => s.FirstChannel)));
        Assert.False(take.Ended);
        Assert.Same(pull, streams.OpenPull(Idle, out opened)); // one buffer per job
        Assert.False(opened);
    }

    [Fact]
    public void A_live_line_missing_streams_because_the_buffer_opened_mid_batch_is_skipped()
    {
        var streams = new JobStreams("j", 2, 4, TimeProvider.System);
        var pull = streams.OpenPull(Idle, out _);
        streams.Publish(1, Message(1, 0, lines: 2)); // stream 0's part of rows 0..1 went out before the buffer opened
        streams.Publish(0, Message(0, 2));
        streams.Publish(1, Message(1, 2));
        Assert.Equal([1_020L], pull.Take(10).Lines.Select(l => l.TimestampMs));
    }

    [Fact]
    public void A_live_buffer_keeps_the_newest_1000_lines_and_counts_the_dropped()
    {
        var streams = new JobStreams("j", 1, 4, TimeProvider.System);
        var pull = streams.OpenPull(Idle, out _);
        for (var row = 0; row < 1500; row += 100) streams.Publish(0, Message(0, row, lines: 100));

        Assert.Equal(PullBuffer.MaxLines, pull.Count);
        Assert.Equal(500, streams.DroppedLines);
        var take = pull.Take(1000);
        Assert.Equal(1_000 + 10L * 500, take.Lines[0].TimestampMs); // the oldest kept is the 501st line
        Assert.Equal(500, take.DroppedSinceLastTake);
        Assert.Equal(0, pull.Take(5).DroppedSinceLastTake);
    }

    [Fact]
    public void A_live_buffer_keeps_at_most_8_MiB()
    {
        var streams = new JobStreams("j", 1, 4, TimeProvider.System);
        var pull = streams.OpenPull(Idle, out _);
        const int values = 64 * 1024; // 256 KiB a line: 32 lines fill 8 MiB
        for (var row = 0; row < 40; row++) streams.Publish(0, Message(0, row, values: values));
        Assert.Equal(32, pull.Count);
        Assert.Equal(8, streams.DroppedLines);
    }

    [Fact]
    public async Task A_historic_feed_waits_for_room_instead_of_dropping()
    {
        var streams = new JobStreams("j", 1, 4, TimeProvider.System);
        var pull = streams.OpenPull(Idle, out _);
        var feed = pull.AddAsync(0, Message(0, 0, lines: 1200), CancellationToken.None);
        await WaitUntil(() => pull.Count == PullBuffer.MaxLines);
        Assert.False(feed.IsCompleted);

        Assert.Equal(300, pull.Take(300).Lines.Count);
        await feed.WaitAsync(Deadline);
        Assert.Equal(900, pull.Count);
        Assert.Equal(0, streams.DroppedLines);
        pull.Complete();
        Assert.Equal(900, pull.Take(1000).Lines.Count);
        Assert.True(pull.Take(1).Ended);
        Assert.Equal(0, streams.ReaderCount); // played out and pulled: no longer keeps the job alive
        Assert.True(streams.OpenPull(Idle, out var reopened).Take(1).Ended); // and later pulls learn it
        Assert.False(reopened);
    }

    [Fact]
    public void A_buffer_nobody_pulls_for_the_idle_timeout_closes_and_the_job_idles_from_the_last_pull()
    {
        var clock = new FakeTimeProvider(DateTimeOffset.UnixEpoch.AddDays(20_000));
        var streams = new JobStreams("j", 1, 4, clock);
        var pull = streams.OpenPull(Idle, out _);
        clock.Advance(TimeSpan.FromMinutes(2));
        pull.Take(1); // a read: the idle time starts again
        clock.Advance(TimeSpan.FromMinutes(2));
        Assert.False(pull.IsClosed);
        Assert.Equal(1, streams.ReaderCount);
        Assert.Equal(clock.GetUtcNow(), streams.LastReadAt); // an open buffer is a reader

        var lastPull = pull.LastPulledAt;
        clock.Advance(TimeSpan.FromMinutes(1));
        Assert.True(pull.IsClosed);
        Assert.Equal(0, streams.ReaderCount);
        Assert.Equal(lastPull, streams.LastReadAt);
        Assert.NotSame(pull, streams.OpenPull(Idle, out var opened)); // the next pull opens a new one
        Assert.True(opened);
    }

    [Fact]
    public void When_the_job_ends_its_buffer_lets_go_of_its_lines_and_pulls_learn_the_end()
    {
        var streams = new JobStreams("j", 1, 4, TimeProvider.System);
        var pull = streams.OpenPull(Idle, out _);
        streams.Publish(0, Message(0, 0, lines: 10));
        streams.Complete(new JobEnd(JobEndKind.Cancelled, "job cancelled"));
        Assert.True(pull.IsClosed);
        Assert.Equal(0, pull.Count);
        Assert.Equal(0, streams.ReaderCount);
        Assert.True(streams.OpenPull(Idle, out _).Take(5).Ended);
    }

    [Fact]
    public void After_the_job_ended_a_pull_learns_it()
    {
        var streams = new JobStreams("j", 1, 4, TimeProvider.System);
        streams.Complete(new JobEnd(JobEndKind.Cancelled, "job cancelled"));
        Assert.True(streams.OpenPull(Idle, out _).Take(5).Ended);
        Assert.Equal(0, streams.ReaderCount);
    }

    private static async Task WaitUntil(Func<bool> condition)
    {
        var deadline = DateTime.UtcNow + Deadline;
        while (!condition())
        {
            Assert.True(DateTime.UtcNow < deadline, "condition not met in time");
            await Task.Delay(10);
        }
    }
}
