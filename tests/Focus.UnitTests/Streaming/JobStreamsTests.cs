using Focus.Analyzer.Pipeline;
using Focus.Analyzer.Streaming;
using Focus.Analyzer.Streaming.Protos;
using Grpc.Core;

namespace Focus.UnitTests.Streaming;

public sealed class JobStreamsTests
{
    private static readonly TimeSpan Deadline = TimeSpan.FromSeconds(10);

    private static DataStream Message(int row, int lines = 1)
    {
        var message = new DataStream { DataShapeY = lines };
        for (var i = 0; i < lines; i++) message.RowIndex.Add(row + i);
        return message;
    }

    [Fact]
    public void Attach_accepts_only_ids_inside_the_range()
    {
        var streams = new JobStreams("j", 3, 4, TimeProvider.System);
        Assert.False(streams.TryAttach(-1, out _));
        Assert.False(streams.TryAttach(3, out _));
        Assert.True(streams.TryAttach(2, out var reader));
        Assert.Equal(2, reader.StreamId);
        Assert.Equal(1, streams.ReaderCount);
        Assert.True(streams.HasReaders(2));
        Assert.False(streams.HasReaders(0));
    }

    [Fact]
    public void Every_reader_of_a_stream_gets_every_message_and_others_none()
    {
        var streams = new JobStreams("j", 2, 4, TimeProvider.System);
        streams.TryAttach(0, out var a);
        streams.TryAttach(0, out var b);
        streams.TryAttach(1, out var other);
        streams.Publish(0, Message(0));
        streams.Publish(0, Message(1));

        Assert.Equal(4, streams.QueueDepth); // two messages waiting in each of two readers
        foreach (var reader in new[] { a!, b! })
        {
            Assert.True(reader.Messages.TryRead(out var m0));
            Assert.True(reader.Messages.TryRead(out var m1));
            Assert.Equal([0, 1], new[] { m0.RowIndex[0], m1.RowIndex[0] });
        }
        Assert.False(other!.Messages.TryRead(out _));
    }

    [Fact]
    public void A_full_reader_drops_its_oldest_messages_and_counts_them()
    {
        var streams = new JobStreams("j", 1, 2, TimeProvider.System);
        streams.TryAttach(0, out var slow);
        streams.TryAttach(0, out var fast);
        for (var row = 0; row < 5; row++)
        {
            streams.Publish(0, Message(row * 3, lines: 3));
            Assert.True(fast!.Messages.TryRead(out _));
        }

        Assert.True(slow!.Messages.TryRead(out var first));
        Assert.True(slow.Messages.TryRead(out var second));
        Assert.Equal(9, first.RowIndex[0]);  // messages 0..2 were dropped: a jump in row_index
        Assert.Equal(12, second.RowIndex[0]);
        Assert.Equal(3, slow.DroppedMessages);
        Assert.Equal(0, fast!.DroppedMessages);
        Assert.Equal(3, streams.DroppedMessages);
        Assert.Equal(9, streams.DroppedLines);
    }

    [Fact]
    public async Task The_reader_signal_follows_attach_and_detach()
    {
        var streams = new JobStreams("j", 1, 4, TimeProvider.System);
        var waiting = streams.WaitForReaderAsync(CancellationToken.None);
        Assert.False(waiting.IsCompleted);

        streams.TryAttach(0, out var reader);
        await waiting.WaitAsync(Deadline);
        Assert.True(streams.WaitForReaderAsync(CancellationToken.None).IsCompleted);

        reader!.Dispose();
        reader.Dispose(); // twice is harmless
        Assert.Equal(0, streams.ReaderCount);
        Assert.False(streams.WaitForReaderAsync(CancellationToken.None).IsCompleted);
    }

    [Fact]
    public void Last_read_is_now_while_attached_and_the_detach_time_after()
    {
        var streams = new JobStreams("j", 1, 4, TimeProvider.System);
        var created = streams.LastReadAt;
        streams.TryAttach(0, out var reader);
        var during = streams.LastReadAt;
        Assert.True(during >= created);
        reader!.Dispose();
        var after = streams.LastReadAt;
        Assert.True(after >= during);
        Assert.Equal(after, streams.LastReadAt); // frozen while nobody reads
    }

    [Theory]
    [InlineData(JobEndKind.Completed, StatusCode.OK, false)]
    [InlineData(JobEndKind.Cancelled, StatusCode.Cancelled, true)]
    [InlineData(JobEndKind.Expired, StatusCode.Cancelled, true)]
    [InlineData(JobEndKind.Failed, StatusCode.Aborted, true)]
    public void Complete_ends_readers_refuses_new_ones_and_maps_the_status(JobEndKind kind, StatusCode code, bool aborts)
    {
        var streams = new JobStreams("j", 1, 4, TimeProvider.System);
        streams.TryAttach(0, out var reader);
        var end = new JobEnd(kind, "why");
        streams.Complete(end);
        streams.Complete(new JobEnd(JobEndKind.Failed, "second")); // first wins

        Assert.Same(end, streams.End);
        Assert.True(reader!.Messages.Completion.IsCompleted);
        Assert.Equal(aborts, streams.Aborted.IsCancellationRequested);
        Assert.True(streams.TryAttach(0, out var late));
        Assert.True(late.Messages.Completion.IsCompleted);
        Assert.Equal(code, end.ToStatus().StatusCode);
        if (code != StatusCode.OK) Assert.Equal("why", end.ToStatus().Detail);
    }
}
