namespace Focus.Analyzer.Sources.Simulated;

/// <summary>
/// A vehicle driving along the fiber (section <c>Focus:Simulator:MovingSource</c>): engine harmonics plus
/// low-frequency rumble, strongest at its centre channel, wrapping from the last channel to the first.
/// </summary>
public sealed class SimulatorMovingSourceOptions
{
    public bool Enabled { get; set; } = true;

    /// <summary>Where the vehicle was at the Unix epoch (1-based channel); it has been driving ever since.</summary>
    public double StartChannel { get; set; } = 1;

    /// <summary>Metres per second along the fiber; negative drives towards channel 1. 20 m/s = 72 km/h.</summary>
    public double SpeedMetersPerSecond { get; set; } = 20;

    /// <summary>Half-width of the lit stretch of fiber, in metres (energy falls to zero this far from the centre).</summary>
    public double HalfWidthMeters { get; set; } = 30;

    /// <summary>Peak amplitude at the centre channel, in the same units as the noise level.</summary>
    public double Amplitude { get; set; } = 4;

    /// <summary>Engine fundamental; harmonics 2 and 3 are added, each dropped if at or above Nyquist.</summary>
    public double EngineHz { get; set; } = 23;
}
