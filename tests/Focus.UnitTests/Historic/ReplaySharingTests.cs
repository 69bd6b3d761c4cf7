using Focus.Analyzer.Historic;
using Focus.Analyzer.Pipeline;

namespace Focus.UnitTests.Historic;

/// <summary>
/// Issue 13 item 3: replays join one playback per job. Calls that arrive before a playback has computed its first
/// line share it (whatever their stream, even beyond <see cref="HistoricOptions.MaxConcurrentReplays"/>); a call after
/// that gets the window from its start in a playback of its own (CONTRACT §2); the last call leaving stops a playback.
/// </summary>
public sealed class ReplaySharingTests
{
    private static readonly TimeSpan Deadline = TimeSpan.FromSeconds(30);

    private static async Task Until(Func<bool> condition, string what)
    {
        var deadline = DateTime.UtcNow + Deadline;
        while (!condition())
        {
            Assert.True(DateTime.UtcNow < deadline, $"timed out waiting for {what}");
            await Task.Delay(10);
        }
    }

    [Fact]
    public async Task Concurrent_replays_of_a_stream_are_one_playback_and_get_the_same_lines()
    {
        const int readers = 6;
        using var harness = new PlaybackHarness(channels: 4, recorded: TimeSpan.FromSeconds(12));
        using var gate = new ComputeGate(2);
        // 10,000 lines of 65 values per stream: more messages than a call buffers, so the readers pace the playback.
        await using var playback = harness.Playback(harness.Spec(hop: 1, windowSamples: 10_000), gate, maxReplays: 1);

        // Every slot is busy (other jobs compute) while the replays arrive, as on a loaded silo.
        var held = new[] { await gate.EnterAsync(CancellationToken.None), await gate.EnterAsync(CancellationToken.None) };
        var calls = Enumerable.Range(0, readers).Select(_ => playback.Attach(2)).Append(playback.Attach(0)).ToArray();
        Assert.Equal(1, playback.PlaybacksStarted); // beyond MaxConcurrentReplays = 1 too: they share it
        Assert.Equal(readers + 1, playback.CallsAttached);
        foreach (var slot in held) slot.Dispose();

        var played = await Task.WhenAll(calls.Select(PlaybackHarness.ReadAll)).WaitAsync(Deadline);
        foreach (var call in calls) call.Dispose();
        Assert.Equal(1, playback.PlaybacksStarted);
        Assert.Equal(10_000, played[0].Count);
        Assert.Equal(Enumerable.Range(0, 10_000), played[0].Select(l => l.Row));
        for (var r = 1; r < readers; r++)
        {
            Assert.Equal(played[0].Select(l => (l.Row, l.Ms)), played[r].Select(l => (l.Row, l.Ms)));
            for (var i = 0; i < played[0].Count; i++)
                ParallelPlaybackTests.AssertSameBits(played[0][i].Values, played[r][i].Values, $"reader {r} row {i}");
        }
        Assert.Equal(10_000, played[readers].Count); // the other stream's call of the same playback
        Assert.Equal(10_000, playback.LinesEmitted); // computed once for all seven readers
        await Until(() => playback.PlaybacksRunning == 0, "the playback to end");
    }

    [Fact]
    public async Task A_replay_arriving_after_the_first_line_plays_the_window_from_its_start_in_a_playback_of_its_own()
    {
        using var harness = new PlaybackHarness(channels: 1, recorded: TimeSpan.FromSeconds(12));
        await using var playback = harness.Playback(harness.Spec(hop: 1, windowSamples: 10_000));
        using var first = playback.Attach(0);
        Assert.True(await first.Messages.WaitToReadAsync().AsTask().WaitAsync(Deadline)); // its playback has begun

        using var late = playback.Attach(0);
        Assert.Equal(2, playback.PlaybacksStarted);
        var played = await Task.WhenAll(PlaybackHarness.ReadAll(first), PlaybackHarness.ReadAll(late)).WaitAsync(Deadline);
        Assert.Equal(10_000, played[1].Count);
        Assert.Equal(Enumerable.Range(0, 10_000), played[1].Select(l => l.Row)); // from row 0, nothing missed or repeated
        Assert.Equal(played[0].Select(l => l.Ms), played[1].Select(l => l.Ms));
        for (var i = 0; i < played[0].Count; i += 97)
            ParallelPlaybackTests.AssertSameBits(played[0][i].Values, played[1][i].Values, $"row {i}");
    }

    [Fact]
    public async Task The_last_reader_leaving_stops_the_playback_and_not_before()
    {
        using var harness = new PlaybackHarness(channels: 1, recorded: TimeSpan.FromSeconds(61));
        using var gate = new ComputeGate(1);
        // 60,000 lines of 65 values: about 15 messages, more than a call buffers.
        await using var playback = harness.Playback(harness.Spec(hop: 1, windowSamples: 60_000), gate);
        var held = await gate.EnterAsync(CancellationToken.None);
        var calls = Enumerable.Range(0, 3).Select(_ => playback.Attach(0)).ToArray();
        held.Dispose();
        Assert.Equal(1, playback.PlaybacksStarted);
        foreach (var call in calls) Assert.True(await call.Messages.WaitToReadAsync().AsTask().WaitAsync(Deadline));

        // Two leave: the third still gets the whole window.
        calls[0].Dispose();
        calls[1].Dispose();
        var lines = await PlaybackHarness.ReadAll(calls[2]);
        Assert.Equal(Enumerable.Range(0, 60_000), lines.Select(l => l.Row));
        calls[2].Dispose();
        await Until(() => playback.PlaybacksRunning == 0, "the played-out playback to end");

        // All leave half way (one while the playback waits for the gate): it stops at once and computes no more.
        held = await gate.EnterAsync(CancellationToken.None);
        var again = Enumerable.Range(0, 3).Select(_ => playback.Attach(0)).ToArray();
        held.Dispose();
        Assert.Equal(2, playback.PlaybacksStarted);
        Assert.Equal(1, playback.PlaybacksRunning);
        foreach (var call in again) Assert.True(await call.Messages.WaitToReadAsync().AsTask().WaitAsync(Deadline));
        held = await gate.EnterAsync(CancellationToken.None); // the playback now waits for a turn, or for its readers
        foreach (var call in again) call.Dispose();
        await Until(() => playback.PlaybacksRunning == 0, "the left playback to stop");
        Assert.Equal(0, gate.Waiting); // it no longer waits for the gate either
        held.Dispose();
        var emitted = playback.LinesEmitted; // final: its run has ended
        Assert.True(emitted < 2 * 60_000, $"{emitted} lines: the left playback went on");
        Assert.Equal(0, playback.CallsAttached);
    }

    [Fact]
    public async Task Every_call_leaving_before_the_first_line_stops_the_playback_and_the_next_call_starts_anew()
    {
        using var harness = new PlaybackHarness(channels: 1, recorded: TimeSpan.FromSeconds(3));
        using var gate = new ComputeGate(1);
        await using var playback = harness.Playback(harness.Spec(hop: 10, windowSamples: 2000), gate, maxReplays: 1);
        var held = await gate.EnterAsync(CancellationToken.None);
        playback.Attach(0).Dispose();
        await Until(() => playback.PlaybacksRunning == 0, "the abandoned playback to stop");
        Assert.Equal(0, gate.Waiting);
        held.Dispose();

        using var call = playback.Attach(0); // the limit of 1 is free again; the abandoned run is not joined
        Assert.Equal(2, playback.PlaybacksStarted);
        var lines = await PlaybackHarness.ReadAll(call);
        Assert.Equal(Enumerable.Range(0, 200), lines.Select(l => l.Row));
        Assert.Equal(200, playback.LinesEmitted);
    }
}
