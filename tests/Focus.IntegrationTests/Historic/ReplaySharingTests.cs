using System.Runtime.InteropServices;
using System.Text.Json.Nodes;
using Focus.Analyzer.Historic;
using Focus.Analyzer.Pipeline;
using Focus.IntegrationTests.Infrastructure;
using Microsoft.Extensions.DependencyInjection;
using static Focus.IntegrationTests.Historic.HistoricSeeds;

namespace Focus.IntegrationTests.Historic;

/// <summary>
/// Issue 13 item 3: replays join one playback per job. Replay readers over gRPC that arrive before the job's playback
/// has computed its first line share it, each getting the whole window from row 0 (the silo counts one playback, even
/// with <c>Focus:Historic:MaxConcurrentReplays</c> = 1), and the last reader leaving stops it.
/// </summary>
public sealed class ReplaySharingTests(ReplaySharingTests.Service service) : IClassFixture<ReplaySharingTests.Service>
{
    public sealed class Service() : SeededStorageService("replay-sharing", new Dictionary<string, string?>
    {
        ["Focus:Historic:MaxConcurrentReplays"] = "1",
    });

    private const int Readers = 5;

    private async Task<(JsonObject Job, HistoricPlayback Playback)> Configure((DateTimeOffset Start, DateTimeOffset End) window)
    {
        // SINGLECHANNEL, hop 20 at 2000 Hz: 100 lines a second of window.
        var body = FocusApi.LiveBody(min: ToneChannel, max: ToneChannel, view: 1, height: 1000, duration: 10, nfft: 256, fmin: null, fmax: null);
        body["start_time"] = window.Start.ToUnixTimeSeconds();
        body["end_time"] = window.End.ToUnixTimeSeconds();
        var job = await service.Http.Configure(body);
        var playback = service.Services.GetRequiredService<HistoricAnalyzerHost>().FindPlayback((string)job["job_id"]!);
        Assert.NotNull(playback);
        return (job, playback);
    }

    private static Task Until(Func<bool> condition, string what) =>
        Polling.Eventually(condition, what, FocusApi.Deadline, TimeSpan.FromMilliseconds(20));

    [Fact]
    public async Task Concurrent_replay_readers_are_one_playback_and_get_identical_lines()
    {
        var (job, playback) = await Configure(Tone);
        var gate = service.Services.GetRequiredService<ComputeGate>();
        using var channel = FocusApi.Channel(job);
        try
        {
            // Every slot of the silo is busy while the readers connect (other jobs compute), so their arrival order
            // against the playback's first line is not left to the machine's load.
            var held = new List<ComputeGate.Slot>();
            for (var i = 0; i < gate.Concurrency; i++) held.Add(await gate.EnterAsync(CancellationToken.None));
            var calls = Enumerable.Range(0, Readers).Select(_ => FocusApi.Stream(channel, 0)).ToArray();
            List<ByteStringLine>[] played;
            try
            {
                var reads = calls.Select(c => c.ReadToEnd()).ToArray();
                await Until(() => playback.CallsAttached == Readers, $"{Readers} readers to attach");
                held.ForEach(slot => slot.Dispose());
                held.Clear();
                played = await Task.WhenAll(reads);
            }
            finally
            {
                held.ForEach(slot => slot.Dispose());
                foreach (var call in calls) call.Dispose();
            }

            Assert.Equal(1, playback.PlaybacksStarted);
            Assert.Equal(2000, played[0].Count); // 20 s of window
            Assert.Equal(Enumerable.Range(0, 2000), played[0].Select(l => l.RowIndex));
            for (var r = 1; r < Readers; r++)
            {
                Assert.Equal(played[0].Select(l => (l.RowIndex, l.TimestampMs)), played[r].Select(l => (l.RowIndex, l.TimestampMs)));
                for (var i = 0; i < played[0].Count; i++)
                    Assert.True(MemoryMarshal.AsBytes(played[0][i].Values.AsSpan()).SequenceEqual(MemoryMarshal.AsBytes(played[r][i].Values.AsSpan())),
                        $"reader {r} line {i} differs from reader 0's");
            }
            Assert.Equal(2000, playback.LinesEmitted); // computed once
        }
        finally
        {
            await service.Http.Delete((string)job["job_id"]!);
        }
    }

    [Fact]
    public async Task The_last_replay_reader_leaving_stops_the_playback()
    {
        // The 420 s "Hole" window: about 12,000 lines over its two recorded minutes, several times what a reader's
        // buffers (its call's and HTTP/2's) hold, so the playback goes on only as its slowest reader reads.
        var (job, playback) = await Configure(Hole);
        var gate = service.Services.GetRequiredService<ComputeGate>();
        using var channel = FocusApi.Channel(job);
        try
        {
            // As above: the silo's slots are held until every reader has joined, so none arrives after the first line
            // (it would be a second replay, refused with MaxConcurrentReplays = 1).
            var held = new List<ComputeGate.Slot>();
            for (var i = 0; i < gate.Concurrency; i++) held.Add(await gate.EnterAsync(CancellationToken.None));
            var calls = Enumerable.Range(0, Readers).Select(_ => FocusApi.Stream(channel, 0)).ToArray();
            try
            {
                await Until(() => playback.CallsAttached == Readers, $"{Readers} readers to attach");
            }
            finally
            {
                held.ForEach(slot => slot.Dispose());
            }
            foreach (var call in calls) Assert.Equal(0, (await call.Next()).RowIndex[0]);
            Assert.Equal(1, playback.PlaybacksStarted);

            foreach (var call in calls.Skip(1)) call.Dispose(); // all but one leave: the playback goes on for it
            await Until(() => playback.CallsAttached == 1, "four readers to leave");
            Assert.Equal(1, playback.PlaybacksRunning);
            var more = await calls[0].ReadLines(500);
            Assert.Equal(Enumerable.Range(more[0].RowIndex, more.Count), more.Select(l => l.RowIndex));

            calls[0].Dispose(); // the last one leaves
            await Until(() => playback.PlaybacksRunning == 0, "the playback to stop");
            var emitted = playback.LinesEmitted; // final: the run has ended
            Assert.True(emitted < 11_000, $"{emitted} lines: the playback went on without readers");

            using var again = FocusApi.Stream(channel, 0); // MaxConcurrentReplays = 1 is free again: a new playback from row 0
            Assert.Equal(0, (await again.Next()).RowIndex[0]);
            Assert.Equal(2, playback.PlaybacksStarted);
        }
        finally
        {
            await service.Http.Delete((string)job["job_id"]!);
        }
    }
}
