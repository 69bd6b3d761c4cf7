namespace Focus.Analyzer.Sources.Simulated;

/// <summary>One stationary tone, e.g. <c>Focus:Simulator:Tones:0:FrequencyHz=50</c>. Channels are 1-based, inclusive.</summary>
public sealed class SimulatorToneOptions
{
    public int FirstChannel { get; set; } = 1;
    public int LastChannel { get; set; } = 1;
    public double FrequencyHz { get; set; } = 50;
    public double Amplitude { get; set; } = 5;
}
