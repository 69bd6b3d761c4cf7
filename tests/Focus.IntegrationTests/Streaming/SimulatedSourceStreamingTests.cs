using System.Diagnostics;
using System.Runtime.InteropServices;
using Focus.Analyzer.Sources.Simulated;
using Focus.Analyzer.Streaming.Protos;
using static Focus.IntegrationTests.Streaming.StreamingHarness;

namespace Focus.IntegrationTests.Streaming;

/// <summary>The pipeline over the built-in simulator (its backlog gives the first line at once).</summary>
public sealed class SimulatedSourceStreamingTests
{
    [Fact]
    public async Task A_simulated_tone_streams_at_once_and_peaks_at_its_bin()
    {
        var source = new SimulatedLiveSource(new SimulatorOptions
        {
            Channels = 16,
            Prr = Prr,
            NoiseLevel = 1,
            UseDefaultTones = false,
            Tones = [new SimulatorToneOptions { FirstChannel = 4, LastChannel = 4, FrequencyHz = 128, Amplitude = 5 }],
            MovingSource = new SimulatorMovingSourceOptions { Enabled = false },
        }, TimeProvider.System);
        await using var harness = new StreamingHarness(source);
        var stopwatch = Stopwatch.StartNew();
        var job = await harness.StartAsync(Spectrogram(3, 5, nfft: 256, hop: 64));
        using var call = harness.Client(job.Port).StreamData(new StreamDataRequest { StreamId = 1 });

        var message = await NextAsync(call);
        var firstLine = stopwatch.Elapsed;
        Assert.True(firstLine < TimeSpan.FromSeconds(2), $"first line after {firstLine}");
        Assert.Equal(4, message.StartChannel);
        var rows = new List<int>(message.RowIndex);
        for (var m = 0; m < 5; m++)
        {
            message = await NextAsync(call);
            rows.AddRange(message.RowIndex);
            foreach (var line in message.MainData)
            {
                var values = MemoryMarshal.Cast<byte, float>(line.Span).ToArray();
                Assert.Equal(16, Array.IndexOf(values, values.Max()));
            }
        }
        for (var i = 1; i < rows.Count; i++) Assert.Equal(rows[i - 1] + 1, rows[i]);
        Assert.Equal(0, job.Progress.Gaps);
    }
}
