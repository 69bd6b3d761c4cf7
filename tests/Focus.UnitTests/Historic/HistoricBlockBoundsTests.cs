using Focus.Analyzer.Historic;

namespace Focus.UnitTests.Historic;

/// <summary>
/// Issue 13: historic blocks are bounded whatever the hop. A hop of millions of samples over hundreds of channels
/// (hop × channels past <c>int</c>) plays, its lines agree with the recording, and a read block never holds more than
/// <see cref="RecordingBlockReader.MaxBlockValues"/> values.
/// </summary>
public sealed class HistoricBlockBoundsTests
{
    [Theory]
    [InlineData(1)]
    [InlineData(300)]
    [InlineData(2222)]
    [InlineData(1 << 20)]
    [InlineData(int.MaxValue)]
    public void A_block_holds_at_most_MaxBlockValues_and_at_least_one_row(int channels)
    {
        var rows = RecordingBlockReader.RowsPerBlock(channels);
        Assert.InRange(rows, 1, 4096);
        Assert.True(rows == 1 || (long)rows * channels <= RecordingBlockReader.MaxBlockValues);
    }

    [Theory]
    [InlineData(8_000_000, 10_000, 1)]   // hop × 300 channels = 2.4e9 values: past int
    [InlineData(1_500, 10_000, 7)]       // frames 1.5 s apart: the rows between them are skipped unread
    public async Task A_wide_job_with_a_huge_hop_plays_lines_that_agree_with_the_recording(int hop, long windowSamples, int lines)
    {
        using var harness = new PlaybackHarness(channels: 300, recorded: TimeSpan.FromSeconds(12));
        await using var playback = harness.Playback(harness.Spec(hop, windowSamples));
        using var first = playback.Attach(0);
        using var last = playback.Attach(299);
        var played = await Task.WhenAll(PlaybackHarness.ReadAll(first), PlaybackHarness.ReadAll(last));
        Assert.Null(playback.Fault);

        foreach (var (stream, channel) in new[] { (0, 1), (1, 300) })
        {
            Assert.Equal(lines, played[stream].Count);
            Assert.Equal(Enumerable.Range(0, lines), played[stream].Select(l => l.Row));
            Assert.Equal(Enumerable.Range(0, lines).Select(r => PlaybackHarness.FirstSample + (long)r * hop), played[stream].Select(l => l.Ms));
            foreach (var line in played[stream])
            {
                var expected = harness.Expected(channel, line.Ms);
                for (var k = 0; k < expected.Length; k++)
                    Assert.True(Math.Abs(expected[k] - line.Values[k]) <= 0.1, $"channel {channel} line {line.Row} bin {k}: {line.Values[k]} dB, the recording says {expected[k]} dB");
            }
        }
    }
}
