using Focus.Analyzer.Historic;
using Focus.Analyzer.Pipeline;

namespace Focus.UnitTests.Historic;

/// <summary>
/// Issue 13: every replay call used to start its own playback outside the compute gate. Playback now computes under
/// the silo's <see cref="ComputeGate"/> like live jobs, and a job runs at most <see cref="HistoricOptions.MaxConcurrentReplays"/>
/// playbacks at once.
/// </summary>
public sealed class HistoricReplayTests
{
    private static readonly TimeSpan Deadline = TimeSpan.FromSeconds(20);

    private static async Task Until(Func<bool> condition, string what)
    {
        var deadline = DateTime.UtcNow + Deadline;
        while (!condition())
        {
            Assert.True(DateTime.UtcNow < deadline, $"timed out waiting for {what}");
            await Task.Delay(20);
        }
    }

    [Fact]
    public async Task Playback_computes_only_with_a_turn_of_the_compute_gate()
    {
        using var harness = new PlaybackHarness(channels: 1, recorded: TimeSpan.FromSeconds(3));
        using var gate = new ComputeGate(1);
        await using var playback = harness.Playback(harness.Spec(hop: 10, windowSamples: 2000), gate);

        var held = await gate.EnterAsync(CancellationToken.None); // every slot is busy (another job computes)
        using var call = playback.Attach(0);
        await Until(() => gate.Waiting == 1, "the playback to wait for a turn of the compute gate");
        Assert.Equal(0, playback.LinesEmitted);
        Assert.False(call.Messages.TryPeek(out _));

        held.Dispose();
        var lines = await PlaybackHarness.ReadAll(call);
        Assert.Equal(200, lines.Count);
        Assert.Equal(0, gate.Waiting);
    }

    [Fact]
    public async Task A_call_beyond_the_jobs_concurrent_replays_is_refused_until_one_ends()
    {
        // 59,000 lines of 65 values: about 15 messages, more than a call buffers, so the playback waits for its reader.
        using var harness = new PlaybackHarness(channels: 1, recorded: TimeSpan.FromSeconds(60));
        await using var playback = harness.Playback(harness.Spec(hop: 1, windowSamples: 59_000), maxReplays: 1);
        Assert.True(59_000 / (256 * 1024 / PlaybackHarness.Bins) > HistoricPlayback.CallBufferMessages + 1);

        var first = playback.Attach(0);
        Assert.True(await first.Messages.WaitToReadAsync().AsTask().WaitAsync(Deadline)); // its playback runs (and waits for it to read)
        var refused = Assert.Throws<ReplayLimitExceededException>(() => playback.Attach(0));
        Assert.Equal(1, refused.Limit);
        Assert.Contains("Focus:Historic:MaxConcurrentReplays", refused.Message);

        first.Dispose(); // the client leaves: its playback stops at its next block
        HistoricCall? again = null;
        await Until(() =>
        {
            try
            {
                again = playback.Attach(0);
                return true;
            }
            catch (ReplayLimitExceededException)
            {
                return false;
            }
        }, "the ended playback to free its place");
        using (again)
        {
            var lines = await PlaybackHarness.ReadAll(again!);
            Assert.Equal(59_000, lines.Count);
            Assert.Equal(Enumerable.Range(0, 59_000), lines.Select(l => l.Row));
        }
    }
}
