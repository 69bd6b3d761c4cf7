using System.Diagnostics;
using Focus.Analyzer.Sources.Simulated;
using Focus.IntegrationTests.Infrastructure;
using Grpc.Core;

namespace Focus.IntegrationTests.EndToEnd;

/// <summary>A client's whole session: /configure, then gRPC reads from the job's own port.</summary>
[Collection(ServiceCollection.Name)]
public sealed class LiveStreamTests(FocusService service)
{
    private HttpClient Http => service.Http;

    [Fact]
    public async Task First_lines_have_the_announced_shape_and_cadence()
    {
        var job = await Http.Configure(FocusApi.LiveBody(min: 100, max: 103, height: 1000, duration: 10, nfft: 256, fmin: 0, fmax: 500));
        var jobId = (string)job["job_id"]!;
        try
        {
            using var channel = FocusApi.Channel(job);
            using var call = FocusApi.Stream(channel, 2);
            var lines = await call.ReadLines(20);

            var first = lines[0].Message;
            Assert.Equal(102, first.StartChannel);
            Assert.Equal(102, first.EndChannel);
            Assert.Equal((int)job["frequencies_amount"]!, first.DataShapeX);
            Assert.False(first.HasDataShapeZ);
            Assert.All(lines, l => Assert.Equal(first.DataShapeX, l.Values.Length));
            foreach (var message in lines.Select(l => l.Message).Distinct())
            {
                Assert.Equal(message.DataShapeY, message.MainData.Count);
                Assert.Equal(message.DataShapeY, message.RowIndex.Count);
                Assert.Equal(message.DataShapeY, message.TimestampInMilis.Count);
                var values = message.MainData.SelectMany(d => FocusApi.Decode(d.Span)).ToArray();
                Assert.Equal(values.Max(), message.GlobalMaximum);
                Assert.Equal(values.Min(), message.GlobalMinimum);
            }
            for (var i = 1; i < lines.Count; i++)
            {
                Assert.Equal(lines[i - 1].RowIndex + 1, lines[i].RowIndex);
                // lines_dt = 10 ms apart (floored to the millisecond).
                Assert.InRange(lines[i].TimestampMs - lines[i - 1].TimestampMs, 9, 11);
            }
            var now = DateTimeOffset.UtcNow.ToUnixTimeMilliseconds();
            Assert.InRange(lines[0].TimestampMs, now - 30_000, now + 1_000);
        }
        finally
        {
            await Http.Delete(jobId);
        }
    }

    [Fact]
    public async Task A_simulated_tone_peaks_at_its_frequency_on_its_channel()
    {
        var fiber = service.Get<SimulatedLiveSource>().Fiber;
        var tone = fiber.Tones.First();
        var toneChannel = tone.FirstChannel;
        var quiet = Enumerable.Range(1, fiber.Channels).First(c =>
            fiber.Tones.All(t => c < t.FirstChannel - 5 || c > t.LastChannel + 5) && Math.Abs(c - toneChannel) > 50);

        var body = FocusApi.LiveBody(min: toneChannel, max: toneChannel, view: 1, nfft: 1024, fmin: null, fmax: null);
        var job = await Http.Configure(body);
        try
        {
            using var channel = FocusApi.Channel(job);
            using var call = FocusApi.Stream(channel, 0);
            var lines = await call.ReadLines(10);
            var frequencies = job["frequencies_list"]!.AsArray().Select(f => (double)f!).ToArray();
            var resolution = frequencies[1] - frequencies[0];
            foreach (var line in lines)
            {
                var peak = Array.IndexOf(line.Values, line.Values.Max());
                Assert.InRange(frequencies[peak], tone.FrequencyHz - resolution, tone.FrequencyHz + resolution);
            }
        }
        finally
        {
            await Http.Delete((string)job["job_id"]!);
        }

        // The same bin on a quiet channel is noise, far below the tone.
        var quietJob = await Http.Configure(FocusApi.LiveBody(min: quiet, max: quiet, view: 1, nfft: 1024, fmin: null, fmax: null));
        try
        {
            using var channel = FocusApi.Channel(quietJob);
            using var call = FocusApi.Stream(channel, 0);
            var lines = await call.ReadLines(5);
            var frequencies = quietJob["frequencies_list"]!.AsArray().Select(f => (double)f!).ToArray();
            var bin = Array.FindIndex(frequencies, f => Math.Abs(f - tone.FrequencyHz) < (frequencies[1] - frequencies[0]) / 2 + 1e-9);
            var median = lines[0].Values.Order().ElementAt(lines[0].Values.Length / 2);
            // One noise bin of one line is exponentially distributed in power (now and then 30 dB under the median):
            // the bin's mean power over the lines is what stays near the noise floor.
            var meanDb = 10 * Math.Log10(lines.Average(l => Math.Pow(10, l.Values[bin] / 10)));
            Assert.InRange(meanDb, median - 20, median + 20);
        }
        finally
        {
            await Http.Delete((string)quietJob["job_id"]!);
        }
    }

    [Fact]
    public async Task Waterfall_lines_hold_one_value_per_channel()
    {
        var job = await Http.Configure(FocusApi.WaterfallBody(min: 5, max: 24));
        try
        {
            using var channel = FocusApi.Channel(job);
            using var call = FocusApi.Stream(channel, 0);
            var lines = await call.ReadLines(10);
            Assert.All(lines, l => Assert.Equal(20, l.Values.Length));
            Assert.Equal(20, lines[0].Message.DataShapeX);
            Assert.Equal(5, lines[0].Message.StartChannel);
            Assert.Equal(24, lines[0].Message.EndChannel);
            Assert.All(lines.SelectMany(l => l.Values), v => Assert.InRange(v, -120f, 120f));
        }
        finally
        {
            await Http.Delete((string)job["job_id"]!);
        }
    }

    [Fact]
    public async Task Two_readers_of_one_stream_see_the_same_rows_and_a_stalled_one_slows_nobody()
    {
        var job = await Http.Configure(FocusApi.LiveBody(min: 200, max: 200, view: 1, height: 1000, duration: 5));
        try
        {
            using var channel = FocusApi.Channel(job);
            using var stalled = FocusApi.Stream(channel, 0);
            Assert.True(await stalled.ResponseStream.MoveNext().WaitAsync(FocusApi.Deadline)); // attached, then never read again
            using var a = FocusApi.Stream(channel, 0);
            using var b = FocusApi.Stream(channel, 0);
            var fromA = await a.ReadLines(50);
            var fromB = await b.ReadLines(50);
            var common = fromA.Select(l => l.RowIndex).Intersect(fromB.Select(l => l.RowIndex)).ToList();
            Assert.NotEmpty(common);
            var row = common[0];
            Assert.Equal(fromA.Single(l => l.RowIndex == row).Values, fromB.Single(l => l.RowIndex == row).Values);

            // Keep reading well past the stalled reader's buffer: the live reader never waits for it.
            var watch = Stopwatch.StartNew();
            var more = await a.ReadLines(600);
            Assert.Equal(more[0].RowIndex + more.Count - 1, more[^1].RowIndex);
            var metadata = await Http.Metadata((string)job["job_id"]!);
            Assert.True((int)metadata["connected_clients"]! >= 0);
        }
        finally
        {
            await Http.Delete((string)job["job_id"]!);
        }
    }

    [Fact]
    public async Task Cancel_ends_streams_with_CANCELLED_and_frees_the_port()
    {
        var job = await Http.Configure(FocusApi.LiveBody(min: 300, max: 301));
        var port = (int)job["stream_port"]!;
        using var channel = FocusApi.Channel(job);
        using var call = FocusApi.Stream(channel, 1);
        await call.Next();

        await Http.Delete((string)job["job_id"]!);
        var ended = await Assert.ThrowsAsync<RpcException>(async () =>
        {
            while (await call.ResponseStream.MoveNext().WaitAsync(FocusApi.Deadline)) { }
        });
        Assert.Equal(StatusCode.Cancelled, ended.StatusCode);
        Assert.True(FreePorts.CanBind(port));
    }

    [Fact]
    public async Task Unknown_stream_id_is_INVALID_ARGUMENT()
    {
        var job = await Http.Configure(FocusApi.LiveBody(min: 400, max: 402));
        try
        {
            using var channel = FocusApi.Channel(job);
            using var call = FocusApi.Stream(channel, 3);
            var error = await Assert.ThrowsAsync<RpcException>(() => call.ResponseStream.MoveNext().WaitAsync(FocusApi.Deadline));
            Assert.Equal(StatusCode.InvalidArgument, error.StatusCode);
        }
        finally
        {
            await Http.Delete((string)job["job_id"]!);
        }
    }
}
