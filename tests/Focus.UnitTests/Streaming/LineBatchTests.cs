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
}
