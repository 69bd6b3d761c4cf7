using Focus.Analyzer.Historic;
using Focus.Analyzer.Pipeline;
using Focus.Analyzer.Sources.Simulated;
using Focus.Analyzer.Spectral;
using Focus.Analyzer.Streaming;
using Microsoft.Extensions.Logging.Abstractions;

namespace Focus.UnitTests.Historic;

/// <summary>
/// Historic playback without a service: recordings of the simulated fiber written into a folder of the test's own, a
/// hand-made spectral <see cref="PipelineSpec"/> over them (any hop, any width), and the <see cref="HistoricPlayback"/>
/// that serves its calls. Lines are checked against the reference engine on the recorded rows.
/// </summary>
public sealed class PlaybackHarness : IDisposable
{
    public static readonly DateTimeOffset T0 = new(2025, 7, 1, 0, 0, 0, TimeSpan.Zero);
    public const double Prr = 1000;
    public const int Nfft = 128;
    public const int Bins = Nfft / 2 + 1;

    private readonly TestMeterFactory _meters = new();

    public PlaybackHarness(int channels, TimeSpan recorded, params RecordingGap[] gaps)
    {
        Channels = channels;
        Folder = Path.Combine(Path.GetTempPath(), $"focus-playback-{Guid.NewGuid():N}");
        var recorder = new SimulatedRecorder(new SimulatedFiber(new SimulatorOptions { Channels = channels, Prr = Prr }), channels);
        Files = recorder.Record(Folder, T0, recorded, recorded, gaps).Select(f => f.Path).ToArray();
    }

    public int Channels { get; }

    public string Folder { get; }

    public IReadOnlyList<string> Files { get; }

    public static long FirstSample => T0.ToUnixTimeMilliseconds(); // 1000 Hz: one sample a millisecond

    public PipelineSpec Spec(int hop, long windowSamples) => new()
    {
        JobId = "harness",
        IsWaterfall = false,
        ChannelMin = 1,
        ChannelMax = Channels,
        Prr = Prr,
        Hop = hop,
        Nfft = Nfft,
        FirstBin = 0,
        BinCount = Bins,
        StreamAmount = Channels,
        StartSampleIndex = FirstSample,
        Historic = new HistoricPlan { FirstSample = FirstSample, EndSample = FirstSample + windowSamples, Files = Files, StorageRoot = Folder },
    };

    /// <summary>The WATERFALL spec over the same recordings: one stream of every channel's mean power per hop.</summary>
    public PipelineSpec WaterfallSpec(int hop, long windowSamples) => Spec(hop, windowSamples) with
    {
        IsWaterfall = true,
        Nfft = hop,
        FirstBin = 0,
        BinCount = 0,
        StreamAmount = 1,
    };

    /// <param name="maxSlices">1: every channel in one kernel (the sequential path); null: the playback's default.</param>
    public HistoricPlayback Playback(PipelineSpec spec, ComputeGate? gate = null, int maxReplays = 4, int? maxSlices = null, string engine = "simd") =>
        Playback(spec, SpectrogramEngines.Create(engine), gate, maxReplays, maxSlices);

    public HistoricPlayback Playback(PipelineSpec spec, ISpectrogramEngine engine, ComputeGate? gate = null, int maxReplays = 4, int? maxSlices = null) =>
        new(spec, engine, new StreamInstruments(_meters),
            gate ?? new ComputeGate(2), TimeProvider.System, new HistoricOptions { MaxConcurrentReplays = maxReplays },
            NullLogger<HistoricPlayback>.Instance, maxSlices);

    /// <summary>Every line of <paramref name="call"/> to its end: (row, timestamp ms, values).</summary>
    public static async Task<List<(int Row, long Ms, float[] Values)>> ReadAll(HistoricCall call)
    {
        using var deadline = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        var lines = new List<(int, long, float[])>();
        await foreach (var message in call.Messages.ReadAllAsync(deadline.Token))
            for (var i = 0; i < message.DataShapeY; i++)
                lines.Add((message.RowIndex[i], message.TimestampInMilis[i], System.Runtime.InteropServices.MemoryMarshal.Cast<byte, float>(message.MainData[i].Span).ToArray()));
        return lines;
    }

    /// <summary>The reference engine's spectrum of <paramref name="channel"/> over the frame recorded from <paramref name="ms"/> on.</summary>
    public float[] Expected(int channel, long ms)
    {
        using var recording = ProdmlRecording.Open(Files[0]);
        var row = ms - T0.ToUnixTimeMilliseconds();
        var frame = new float[Nfft];
        recording.Read(row, Nfft, channel, 1, frame);
        var expected = new float[Bins];
        SpectrogramEngines.Create("reference").CreateSpectrum(new SpectrumShape(Nfft, 0, Bins, 1)).Compute(frame, expected);
        return expected;
    }

    public void Dispose()
    {
        _meters.Dispose();
        Directory.Delete(Folder, recursive: true);
    }
}
