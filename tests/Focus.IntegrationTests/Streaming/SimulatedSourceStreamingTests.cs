using System.Runtime.InteropServices;
using Focus.Analyzer.Sources;
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
        var recording = new OpenRecordingSource(source);
        await using var harness = new StreamingHarness(recording);
        var job = await harness.StartAsync(Spectrogram(3, 5, nfft: 256, hop: 64));
        using var call = harness.Client(job.Port).StreamData(new StreamDataRequest { StreamId = 1 });

        var message = await NextAsync(call);
        // From the backlog: the first line is the job's line 0 or one whose window had ended when the
        // pipeline opened the source (no wait for nfft fresh samples).
        var windowMs = 256 * 1000 / Prr;
        Assert.True(message.RowIndex[0] == 0 || message.TimestampInMilis[0] + windowMs <= recording.OpenedAtMs + 1,
            $"first line {message.RowIndex[0]} starts at {message.TimestampInMilis[0]}, the source was opened at {recording.OpenedAtMs}");
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

    private sealed class OpenRecordingSource(ILiveSource inner) : ILiveSource
    {
        public long OpenedAtMs { get; private set; }

        public double Prr => inner.Prr;

        public ILiveReader Open(int firstChannel, int lastChannel, long fromSampleIndex)
        {
            OpenedAtMs = DateTimeOffset.UtcNow.ToUnixTimeMilliseconds();
            return inner.Open(firstChannel, lastChannel, fromSampleIndex);
        }
    }
}
