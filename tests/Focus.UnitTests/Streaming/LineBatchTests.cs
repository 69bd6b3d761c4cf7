using System.Numerics.Tensors;
using Google.Protobuf;
using System.Runtime.InteropServices;
using Focus.Analyzer.Streaming;
using Focus.Analyzer.Streaming.Protos;

namespace Focus.UnitTests.Streaming;

public sealed class LineBatchTests
{
    /// <summary>Adds <paramref name="lines"/> lines of <paramref name="values"/> values (line r holds r, r+1, ...) and takes every message.</summary>
    private static List<DataStream> Batch(int lines, int values, int? jobId = null)
    {
        var batch = new LineBatch(1, values, jobId);
        batch.Open(0, 7, 7);
        var line = new float[values];
        for (var r = 0; r < lines; r++)
        {
            for (var v = 0; v < values; v++) line[v] = r + v * 1e-3f;
            batch.Add(0, 1_700_000_000_000L + r, -r - 1, line); // negative rows: the widest varints
        }
        var messages = new List<DataStream>();
        while (batch.Take(0) is { } message) messages.Add(message);
        return messages;
    }

    [Theory]
    [InlineData(200, 32_769)]   // nfft 65536 over the whole band: 128 KiB a line
    [InlineData(1_000, 4_097)]
    [InlineData(5_000, 2_222)]  // a full-fiber waterfall
    [InlineData(262_145, 1)]
    public void A_batch_of_wide_lines_is_split_into_messages_under_1_MiB_each_line_whole_and_in_order(int lines, int values)
    {
        var messages = Batch(lines, values, jobId: -1);
        Assert.True(messages.Count > 1);
        Assert.All(messages, m => Assert.True(m.CalculateSize() <= LineBatch.MaxMessageBytes, $"{m.CalculateSize()} bytes"));
        var row = 0;
        foreach (var message in messages)
        {
            Assert.Equal(7, message.StartChannel);
            Assert.Equal(values, message.DataShapeX);
            Assert.Equal(message.RowIndex.Count, message.DataShapeY);
            Assert.Equal(message.DataShapeY, message.MainData.Count);
            Assert.Equal(message.DataShapeY, message.TimestampInMilis.Count);
            for (var i = 0; i < message.DataShapeY; i++, row++)
            {
                Assert.Equal(-row - 1, message.RowIndex[i]);
                Assert.Equal(values * 4, message.MainData[i].Length);
                Assert.Equal(row, MemoryMarshal.Cast<byte, float>(message.MainData[i].Span)[0]);
            }
            // Extremes are the message's own.
            var firstRow = -message.RowIndex[0] - 1;
            Assert.Equal(firstRow, message.GlobalMinimum);
            Assert.Equal(firstRow + message.DataShapeY - 1 + (values - 1) * 1e-3f, message.GlobalMaximum, 3);
        }
        Assert.Equal(lines, row);
    }

    [Fact]
    public void A_line_over_1_MiB_goes_alone_and_small_lines_share_one_message()
    {
        var huge = Batch(3, 300_000);
        Assert.Equal(3, huge.Count);
        Assert.All(huge, m => Assert.Equal(1, m.DataShapeY));

        var small = Batch(100, 10);
        Assert.Equal(100, Assert.Single(small).DataShapeY);
    }

    [Theory]
    [InlineData(false, 513)]
    [InlineData(true, 513)]
    [InlineData(false, 20_000)]   // lines wider than a chunk
    [InlineData(true, 20_000)]
    [InlineData(true, 3)]
    public void Messages_are_the_bytes_a_copy_per_line_and_TensorPrimitives_extremes_give(bool pooled, int values)
    {
        // Three streams' lines interleaved, so they share (unpooled) or do not share (pooled) chunks; 130 lines each.
        var batch = new LineBatch(3, values, 9, pooled ? new MessageLeaseTests.PoisoningPool() : null);
        var sent = new Dictionary<(int Stream, int Row), float[]>();
        var random = new Random(values);
        var messages = new List<(int Stream, DataStream Message)>();
        for (var r = 0; r < 130; r++)
            for (var stream = 0; stream < 3; stream++)
            {
                if (!batch.IsOpen(stream)) batch.Open(stream, stream + 1, stream + 1);
                var line = Enumerable.Range(0, values).Select(_ => random.Next(50) == 0 ? -0f : (float)(random.NextDouble() * 90 - 130)).ToArray();
                sent[(stream, r)] = line;
                batch.Add(stream, 1_700_000_000_000L + r, r, line);
                if (r % 40 == 39)
                    while (batch.Take(stream) is { } message) messages.Add((stream, message));
            }
        for (var stream = 0; stream < 3; stream++)
            while (batch.Take(stream) is { } message) messages.Add((stream, message));

        Assert.Equal(3 * 130, messages.Sum(m => m.Message.DataShapeY));
        foreach (var (stream, message) in messages)
        {
            var expected = new DataStream { StartChannel = stream + 1, EndChannel = stream + 1, DataShapeX = values, JobId = 9, DataShapeY = message.RowIndex.Count };
            for (var i = 0; i < message.RowIndex.Count; i++)
            {
                var line = sent[(stream, message.RowIndex[i])];
                expected.TimestampInMilis.Add(message.TimestampInMilis[i]);
                expected.RowIndex.Add(message.RowIndex[i]);
                expected.MainData.Add(ByteString.CopyFrom(MemoryMarshal.AsBytes(line.AsSpan())));
                expected.GlobalMaximum = i == 0 ? TensorPrimitives.Max<float>(line) : Math.Max(expected.GlobalMaximum, TensorPrimitives.Max<float>(line));
                expected.GlobalMinimum = i == 0 ? TensorPrimitives.Min<float>(line) : Math.Min(expected.GlobalMinimum, TensorPrimitives.Min<float>(line));
            }
            Assert.Equal(expected.ToByteArray(), message.ToByteArray());
        }
    }
}
