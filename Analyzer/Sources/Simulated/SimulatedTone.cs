namespace Focus.Analyzer.Sources.Simulated;

/// <summary>
/// A stationary sinusoid of <see cref="FrequencyHz"/> and peak <see cref="Amplitude"/> on channels
/// <see cref="FirstChannel"/>..<see cref="LastChannel"/> (1-based, inclusive), each channel with its own phase.
/// </summary>
public sealed record SimulatedTone(int FirstChannel, int LastChannel, double FrequencyHz, double Amplitude)
{
    /// <summary>
    /// Well-separated frequencies on well-separated channels, all below the 1000 Hz Nyquist of the default prr,
    /// and far above the unit noise (a 1024-point spectrogram shows them 30-36 dB over the floor).
    /// </summary>
    public static IReadOnlyList<SimulatedTone> Defaults { get; } =
    [
        new(10, 14, 50, 5),
        new(100, 104, 120, 4),
        new(500, 510, 333, 3),
    ];

    /// <summary>
    /// This tone as it fits a fiber of <paramref name="channels"/> channels at <paramref name="prr"/>: clipped to
    /// the fiber, or null with the <paramref name="reason"/> when none of it can exist (off the fiber, or at or
    /// above Nyquist, where it would alias to a frequency nobody configured).
    /// </summary>
    public SimulatedTone? FitTo(int channels, double prr, out string? reason)
    {
        reason = null;
        if (FrequencyHz >= prr / 2)
            reason = $"{FrequencyHz} Hz is at or above Nyquist ({prr / 2} Hz)";
        else if (FirstChannel > channels)
            reason = $"channel {FirstChannel} is beyond the fiber's {channels} channels";
        return reason is null ? this with { LastChannel = Math.Min(LastChannel, channels) } : null;
    }
}
