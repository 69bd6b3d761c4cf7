using Focus.Analyzer.Sources.RabbitMq;
using Focus.IntegrationTests.Infrastructure;
using Xunit.Abstractions;

namespace Focus.IntegrationTests.Live;

/// <summary>Recorder → broker → the job's queue → pipeline → gRPC.</summary>
[Collection(LiveCollection.Name)]
public sealed class LiveEndToEndTests(LiveService service, ITestOutputHelper output)
{
    [Fact]
    public async Task A_tone_across_two_blocks_peaks_at_its_frequency_and_lines_arrive_soon_after_their_chunk()
    {
        // Channels 62..67 span blocks 0 and 1; the tone covers 60..70.
        var job = await service.Http.Configure(FocusApi.LiveBody(min: 62, max: 67, view: 0, nfft: 256, fmin: 0, fmax: 1000));
        var jobId = (string)job["job_id"]!;
        try
        {
            var frequencies = job["frequencies_list"]!.AsArray().Select(f => (double)f!).ToArray();
            var resolution = frequencies[1] - frequencies[0];
            using var channel = FocusApi.Channel(job);
            using var call = FocusApi.Stream(channel, 3); // channel 65, the first of block 1
            var latencies = new List<double>();
            var lines = new List<ByteStringLine>();
            while (lines.Count < 300)
            {
                var message = await call.Next();
                var received = DateTimeOffset.UtcNow.ToUnixTimeMilliseconds();
                for (var i = 0; i < message.DataShapeY; i++)
                {
                    lines.Add(new ByteStringLine(message.RowIndex[i], message.TimestampInMilis[i], FocusApi.Decode(message.MainData[i].Span), message));
                    // The chunk holding a line's last sample is published when that sample exists (its due time).
                    var frameEnd = message.TimestampInMilis[i] + 256 * 1000 / 2000;
                    var chunkEnd = (frameEnd + 99) / 100 * 100;
                    if (lines.Count > 50) latencies.Add(received - chunkEnd);
                }
            }

            Assert.All(lines, l => Assert.Equal(65, l.Message.StartChannel));
            foreach (var line in lines)
            {
                var peak = Array.IndexOf(line.Values, line.Values.Max());
                Assert.InRange(frequencies[peak], LiveService.ToneHz - resolution, LiveService.ToneHz + resolution);
            }
            for (var i = 1; i < lines.Count; i++) Assert.True(lines[i].RowIndex > lines[i - 1].RowIndex, "rows only go forward");

            latencies.Sort();
            double P(double q) => latencies[(int)Math.Min(latencies.Count - 1, Math.Floor(q * latencies.Count))];
            output.WriteLine($"chunk due → gRPC line: p50 {P(0.5)} ms, p99 {P(0.99)} ms, max {latencies[^1]} ms over {latencies.Count} lines");
            // The target (p99 < 500 ms) is measured in docs/PERFORMANCE.md; here only a bound a starved CI box keeps:
            // lines are never older than the job's bounded queue could hold.
            Assert.True(P(0.99) < 5000, $"p99 latency {P(0.99)} ms");
        }
        finally
        {
            await service.Http.Delete(jobId);
        }
    }
}
