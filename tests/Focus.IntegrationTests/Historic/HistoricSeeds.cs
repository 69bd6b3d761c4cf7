using Focus.Analyzer.Historic;
using Focus.Analyzer.Sources.Simulated;

namespace Focus.IntegrationTests.Historic;

/// <summary>
/// The seed scenarios, each at its own hour of one day so they share a storage folder: recordings written by the
/// recorder (8 channels at 2000 Hz, a 250 Hz tone on channels 3..4) and the window a test asks for.
/// </summary>
public static class HistoricSeeds
{
    public static readonly DateTimeOffset Day = new(2025, 3, 1, 0, 0, 0, TimeSpan.Zero);
    public const int Channels = 8;
    public const double Prr = 2000;
    public const double ToneHz = 250;
    public const int ToneChannel = 3;

    public static SimulatorOptions Fiber => new()
    {
        Channels = Channels,
        Prr = Prr,
        MovingSource = { Enabled = false },
        Tones = [new SimulatorToneOptions { FirstChannel = ToneChannel, LastChannel = ToneChannel + 1, FrequencyHz = ToneHz, Amplitude = 5 }],
    };

    /// <summary>Full coverage, stitched: two contiguous 40 s files around [1h, 1h+60s).</summary>
    public static (DateTimeOffset Start, DateTimeOffset End) FullCoverage => (Day.AddHours(1), Day.AddHours(1).AddSeconds(60));

    /// <summary>Two recordings with a 5-minute hole: [2h, 2h+60s) and [2h+360s, 2h+420s).</summary>
    public static (DateTimeOffset Start, DateTimeOffset End) Hole => (Day.AddHours(2), Day.AddHours(2).AddSeconds(420));
    public static readonly TimeSpan HoleLength = TimeSpan.FromMinutes(5);

    /// <summary>A recording only at the window's start: [3h-10s, 3h+20s).</summary>
    public static (DateTimeOffset Start, DateTimeOffset End) OnlyAtStart => (Day.AddHours(3), Day.AddHours(3).AddSeconds(60));

    /// <summary>A recording only in the middle: [4h+20s, 4h+40s).</summary>
    public static (DateTimeOffset Start, DateTimeOffset End) OnlyInMiddle => (Day.AddHours(4), Day.AddHours(4).AddSeconds(60));

    /// <summary>One file spanning both edges: [5h-30s, 5h+90s).</summary>
    public static (DateTimeOffset Start, DateTimeOffset End) SpansEdges => (Day.AddHours(5), Day.AddHours(5).AddSeconds(60));

    /// <summary>The tone: [6h, 6h+30s).</summary>
    public static (DateTimeOffset Start, DateTimeOffset End) Tone => (Day.AddHours(6), Day.AddHours(6).AddSeconds(20));

    /// <summary>Nothing recorded.</summary>
    public static (DateTimeOffset Start, DateTimeOffset End) Nothing => (Day.AddHours(10), Day.AddHours(10).AddSeconds(60));

    /// <summary>Writes every scenario's recordings into <paramref name="folder"/>.</summary>
    public static void Write(string folder)
    {
        var recorder = new SimulatedRecorder(new SimulatedFiber(Fiber), Channels);
        recorder.Record(folder, Day.AddHours(1).AddSeconds(-10), TimeSpan.FromSeconds(80), TimeSpan.FromSeconds(40), []);
        recorder.Record(folder, Day.AddHours(2), TimeSpan.FromSeconds(420), TimeSpan.FromMinutes(1),
            [new RecordingGap(TimeSpan.FromSeconds(60), HoleLength)]);
        recorder.Record(folder, Day.AddHours(3).AddSeconds(-10), TimeSpan.FromSeconds(30), TimeSpan.FromMinutes(1), []);
        recorder.Record(folder, Day.AddHours(4).AddSeconds(20), TimeSpan.FromSeconds(20), TimeSpan.FromMinutes(1), []);
        recorder.Record(folder, Day.AddHours(5).AddSeconds(-30), TimeSpan.FromSeconds(120), TimeSpan.FromMinutes(5), []);
        recorder.Record(folder, Day.AddHours(6), TimeSpan.FromSeconds(30), TimeSpan.FromMinutes(1), []);
    }
}
