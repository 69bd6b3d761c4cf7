using System.Diagnostics.Metrics;
using System.Net;
using System.Text.Json.Nodes;
using Focus.Analyzer.Streaming;
using Focus.IntegrationTests.Infrastructure;
using Grpc.Core;
using static Focus.IntegrationTests.Historic.HistoricSeeds;

namespace Focus.IntegrationTests.Historic;

/// <summary>The seed scenarios of historic playback, end to end: REST /configure, then gRPC reads of the whole window.</summary>
[Collection(HistoricCollection.Name)]
public sealed class HistoricPlaybackTests(HistoricService service)
{
    private const int Nfft = 256;
    private const double LinesDt = 0.01; // height 1000 over 10 s at 2000 Hz: hop 20
    private const long LineMs = 10;
    private static readonly long FrameMs = (long)(Nfft / Prr * 1000); // 128 ms of samples behind a line

    private HttpClient Http => service.Http;

    private static JsonObject Body((DateTimeOffset Start, DateTimeOffset End) window, int min = 1, int max = 2, int view = 0, double? fmax = null)
    {
        var body = FocusApi.LiveBody(min: min, max: max, view: view, height: 1000, duration: 10, nfft: Nfft, fmin: null, fmax: fmax);
        body["start_time"] = window.Start.ToUnixTimeSeconds();
        body["end_time"] = window.End.ToUnixTimeSeconds();
        return body;
    }

    private static long Ms(DateTimeOffset time) => time.ToUnixTimeMilliseconds();

    /// <summary>Every line of one call, to its end (which must be OK).</summary>
    private static async Task<List<ByteStringLine>> PlayAll(JsonObject job, int stream = 0)
    {
        using var channel = FocusApi.Channel(job);
        using var call = FocusApi.Stream(channel, stream);
        var lines = await call.ReadToEnd();
        Assert.Equal(Enumerable.Range(0, lines.Count), lines.Select(l => l.RowIndex)); // 0, 1, 2, … across holes
        return lines;
    }

    private static List<long> Jumps(List<ByteStringLine> lines) =>
        lines.Zip(lines.Skip(1), (a, b) => b.TimestampMs - a.TimestampMs).Where(d => d > LineMs + 1).ToList();

    private async Task<JsonObject> WaitForState(string jobId, string state)
    {
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(10);
        while (true)
        {
            var metadata = await Http.Metadata(jobId);
            if ((string?)metadata["state"] == state) return metadata;
            Assert.True(DateTime.UtcNow < deadline, $"job {jobId} is {metadata["state"]}, not {state}");
            await Task.Delay(100);
        }
    }

    [Fact]
    public async Task No_recording_in_the_window_is_a_400()
    {
        using var response = await Http.PostJson("configure", Body(Nothing).ToJsonString());
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        var problem = await response.Json();
        Assert.Equal("No recording found in given time range", (string?)problem["detail"]);
        Assert.Equal("No recording found in given time range", (string?)problem["error"]);
    }

    [Fact]
    public async Task Requests_are_validated_against_the_recordings_not_the_live_fiber()
    {
        using var channels = await Http.PostJson("configure", Body(FullCoverage, min: 1, max: Channels + 1).ToJsonString());
        Assert.Equal(HttpStatusCode.UnprocessableEntity, channels.StatusCode);
        Assert.Contains("channels.max", (await channels.Json())["errors"]!.AsObject().Select(e => e.Key));

        using var nyquist = await Http.PostJson("configure", Body(FullCoverage, fmax: Prr / 2 + 1).ToJsonString());
        Assert.Equal(HttpStatusCode.UnprocessableEntity, nyquist.StatusCode);
    }

    [Fact]
    public async Task Full_coverage_plays_every_line_without_a_hole_ends_ok_and_completes_the_job()
    {
        var job = await Http.Configure(Body(FullCoverage));
        var jobId = (string)job["job_id"]!;
        Assert.Equal("historic", (string?)job["mode"]);
        Assert.Equal(Prr, (double)job["metadata"]!["prr"]!);
        Assert.Equal(Channels, (int)job["metadata"]!["number_of_channels"]!);
        Assert.Equal(LinesDt, (double)job["lines_dt"]!);

        var lines = await PlayAll(job);
        var window = FullCoverage.End - FullCoverage.Start;
        Assert.InRange(lines.Count, window.TotalSeconds / LinesDt - 1, window.TotalSeconds / LinesDt + 1);
        Assert.Equal(Ms(FullCoverage.Start), lines[0].TimestampMs);
        Assert.Empty(Jumps(lines)); // two files stitched at +30 s: no missing or duplicate line
        Assert.All(lines.Zip(lines.Skip(1)), p => Assert.Equal(LineMs, p.Second.TimestampMs - p.First.TimestampMs));
        Assert.True(lines[^1].TimestampMs < Ms(FullCoverage.End));

        var completed = await WaitForState(jobId, "completed");
        Assert.Equal("success", (string?)completed["status"]);

        // The stream still serves: a new call replays the window from its start.
        var again = await PlayAll(job, stream: 1);
        Assert.Equal(lines.Count, again.Count);
        Assert.Equal(lines[0].TimestampMs, again[0].TimestampMs);

        // Nobody reads for the idle timeout: the stream is freed and the job stays completed.
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(30);
        while (FreePorts.CanBind((int)job["stream_port"]!) is false)
        {
            Assert.True(DateTime.UtcNow < deadline, "the completed job's port was not freed after the idle timeout");
            await Task.Delay(200);
        }
        Assert.Equal("completed", (string?)(await Http.Metadata(jobId))["state"]);
    }

    [Fact]
    public async Task Two_recordings_with_a_five_minute_hole_make_exactly_one_jump_of_the_holes_size()
    {
        var job = await Http.Configure(Body(Hole));
        var lines = await PlayAll(job);
        var jumps = Jumps(lines);
        var jump = Assert.Single(jumps);
        // The lines whose frames would need samples of the hole are missing: hole + (frame - line) at most.
        Assert.InRange(jump, (long)HoleLength.TotalMilliseconds, (long)HoleLength.TotalMilliseconds + FrameMs + LineMs);
        var holeStart = Ms(Hole.Start) + 60_000;
        Assert.Contains(lines, l => l.TimestampMs < holeStart);                  // data before
        Assert.Contains(lines, l => l.TimestampMs >= holeStart + 300_000);      // and after
        Assert.Equal(Ms(Hole.Start), lines[0].TimestampMs);
        await Http.Delete((string)job["job_id"]!);
    }

    [Fact]
    public async Task A_hole_in_playback_counts_in_focus_gaps_total()
    {
        // The service's own focus_gaps counter, heard directly: /metrics of one of several services in a test
        // process is not a reliable witness (their meters share the name "Focus").
        var counter = service.Get<StreamInstruments>().Gaps;
        long gaps = 0;
        using var listener = new MeterListener();
        listener.InstrumentPublished = (instrument, l) =>
        {
            if (ReferenceEquals(instrument, counter)) l.EnableMeasurementEvents(instrument);
        };
        listener.SetMeasurementEventCallback<long>((_, value, _, _) => Interlocked.Add(ref gaps, value));
        listener.Start();

        var job = await Http.Configure(Body(Hole));
        var jumps = Jumps(await PlayAll(job));
        await Http.Delete((string)job["job_id"]!);
        Assert.Single(jumps);
        Assert.True(Interlocked.Read(ref gaps) >= jumps.Count, $"focus_gaps_total rose by {Interlocked.Read(ref gaps)} over a playback that jumped {jumps.Count} time(s)");
    }

    [Fact]
    public async Task A_recording_only_at_the_start_plays_until_it_ends()
    {
        var job = await Http.Configure(Body(OnlyAtStart));
        var lines = await PlayAll(job);
        Assert.Empty(Jumps(lines));
        Assert.Equal(Ms(OnlyAtStart.Start), lines[0].TimestampMs);
        var recordedEnd = Ms(OnlyAtStart.Start) + 20_000;
        Assert.InRange(lines[^1].TimestampMs, recordedEnd - FrameMs - LineMs, recordedEnd - FrameMs);
        await Http.Delete((string)job["job_id"]!);
    }

    [Fact]
    public async Task A_recording_only_in_the_middle_plays_only_there()
    {
        var job = await Http.Configure(Body(OnlyInMiddle));
        var lines = await PlayAll(job);
        Assert.Empty(Jumps(lines));
        var recordedStart = Ms(OnlyInMiddle.Start) + 20_000;
        var recordedEnd = Ms(OnlyInMiddle.Start) + 40_000;
        Assert.Equal(recordedStart, lines[0].TimestampMs); // the hole before it: the first line is late
        Assert.InRange(lines[^1].TimestampMs, recordedEnd - FrameMs - LineMs, recordedEnd - FrameMs);
        Assert.InRange(lines.Count, (20_000 - FrameMs) / LineMs - 1, (20_000 - FrameMs) / LineMs + 2);
        await Http.Delete((string)job["job_id"]!);
    }

    [Fact]
    public async Task A_file_spanning_both_edges_is_trimmed_to_the_window()
    {
        var job = await Http.Configure(Body(SpansEdges));
        var lines = await PlayAll(job);
        Assert.Empty(Jumps(lines));
        Assert.Equal(Ms(SpansEdges.Start), lines[0].TimestampMs);
        Assert.Equal(Ms(SpansEdges.End) - LineMs, lines[^1].TimestampMs); // the last line starting in the window
        Assert.Equal(6000, lines.Count);
        await Http.Delete((string)job["job_id"]!);
    }

    [Fact]
    public async Task A_recorded_tone_peaks_at_its_frequency()
    {
        var job = await Http.Configure(Body(Tone, min: ToneChannel, max: ToneChannel, view: 1));
        var frequencies = job["frequencies_list"]!.AsArray().Select(f => (double)f!).ToArray();
        var lines = await PlayAll(job);
        Assert.Equal(2000, lines.Count);
        var mean = new double[frequencies.Length];
        foreach (var line in lines)
            for (var k = 0; k < mean.Length; k++) mean[k] += line.Values[k] / lines.Count;
        var peak = Array.IndexOf(mean, mean.Max());
        Assert.Equal(ToneHz, frequencies[peak], 1e-9);
        Assert.True(mean[peak] > mean.Order().ElementAt(mean.Length / 2) + 20, "the tone stands 20 dB over the median bin");
        await Http.Delete((string)job["job_id"]!);
    }

    [Fact]
    public async Task Recordings_in_time_range_lists_the_overlapping_spans()
    {
        var body = new JsonObject { ["start_time"] = Hole.Start.ToUnixTimeSeconds(), ["end_time"] = Hole.End.ToUnixTimeSeconds() };
        using var response = await Http.PostJson("recordings_in_time_range", body.ToJsonString());
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var spans = (await response.Json())["recordings"]!.AsArray().Select(s => s!.AsArray().Select(v => (long)v!).ToArray()).ToArray();
        var s = Hole.Start.ToUnixTimeSeconds();
        Assert.Equal([[s, s + 60], [s + 360, s + 420]], spans);

        var none = new JsonObject { ["start_time"] = Nothing.Start.ToUnixTimeSeconds(), ["end_time"] = Nothing.End.ToUnixTimeSeconds() };
        using var empty = await Http.PostJson("recordings_in_time_range", none.ToJsonString());
        Assert.Empty((await empty.Json())["recordings"]!.AsArray());
    }
}
