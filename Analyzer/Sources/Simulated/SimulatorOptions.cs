namespace Focus.Analyzer.Sources.Simulated;

/// <summary>
/// The built-in simulator's fiber (section <c>Focus:Simulator</c>, CONTRACT §6). Everything it generates is a
/// pure function of these values and the sample index, so two silos with the same options see the same fiber.
/// </summary>
public sealed class SimulatorOptions
{
    public const string Section = "Focus:Simulator";

    public int Channels { get; set; } = 2222;

    /// <summary>Samples per second per channel (pulse repetition rate).</summary>
    public double Prr { get; set; } = 2000;

    /// <summary>Metres between two channels.</summary>
    public double Dx { get; set; } = 1.02;

    public double FiberStartMeters { get; set; }

    public long Seed { get; set; } = 42;

    /// <summary>Standard deviation of the Gaussian background noise on every channel.</summary>
    public double NoiseLevel { get; set; } = 1.0;

    /// <summary>Channels per RabbitMQ routing block, announced in <c>Prpcast.Info</c> (CONTRACT §3).</summary>
    public int BlockSize { get; set; } = 64;

    public string InterrogatorId { get; set; } = "simulator";

    public string SwVersion { get; set; } = "focus-simulator 1.0";

    public string FiberDescription { get; set; } = "simulated fiber: background noise, stationary tones, a moving vehicle";

    /// <summary>Time covered by one live block (one <c>DataChunk</c>); 20 ms = 40 samples at 2000 Hz.</summary>
    public TimeSpan ChunkDuration { get; set; } = TimeSpan.FromMilliseconds(20);

    /// <summary>
    /// How far back a new live reader may start. The simulator could replay any past, but a real recorder keeps
    /// only a bounded backlog; a few seconds lets a new job show its first line at once instead of after nfft/prr.
    /// </summary>
    public TimeSpan History { get; set; } = TimeSpan.FromSeconds(5);

    /// <summary>
    /// Used only when <see cref="Tones"/> is empty: true puts <see cref="SimulatedTone.Defaults"/> on the fiber,
    /// false leaves it without tones. (Defaults are not pre-filled in <see cref="Tones"/> because configuration
    /// binding appends to a list instead of replacing it.)
    /// </summary>
    public bool UseDefaultTones { get; set; } = true;

    public List<SimulatorToneOptions> Tones { get; set; } = [];

    public SimulatorMovingSourceOptions MovingSource { get; set; } = new();

    /// <summary>The tones asked for, before the fiber drops those above Nyquist or off the fiber.</summary>
    public IReadOnlyList<SimulatedTone> RequestedTones() =>
        Tones.Count > 0
            ? Tones.Select(t => new SimulatedTone(t.FirstChannel, t.LastChannel, t.FrequencyHz, t.Amplitude)).ToArray()
            : UseDefaultTones ? SimulatedTone.Defaults : [];
}
