namespace Focus.Analyzer.Spectral;

/// <summary>
/// Engines by name, for configuration (e.g. a <c>Focus:Analyzer:Engine</c> setting): <c>"reference"</c>
/// (plain C#, the test oracle) or <c>"simd"</c> (vectorised; optionally <c>"simd:Vector256"</c> etc. to cap
/// the vector width). Names are case-insensitive.
/// </summary>
public static class SpectrogramEngines
{
    public static ISpectrogramEngine Create(string name, FftPlanCache? plans = null)
    {
        ArgumentNullException.ThrowIfNull(name);
        plans ??= FftPlanCache.Shared;
        string[] parts = name.Trim().Split(':', 2);
        switch (parts[0].ToLowerInvariant())
        {
            case "reference":
                return new ReferenceSpectrogramEngine(plans);
            case "simd":
                if (parts.Length == 1) return new SimdSpectrogramEngine(plans);
                if (Enum.TryParse(parts[1], ignoreCase: true, out SimdWidth width) && Enum.IsDefined(width))
                    return new SimdSpectrogramEngine(plans, width);
                throw new ArgumentException($"Unknown SIMD width '{parts[1]}' (Scalar, Vector128, Vector256, Vector512).", nameof(name));
            default:
                throw new ArgumentException($"Unknown spectrogram engine '{name}' (reference, simd).", nameof(name));
        }
    }
}
