namespace Focus.Analyzer.Spectral;

/// <summary>
/// The compute engine behind the pipeline. An engine makes kernels for one shape; a kernel owns
/// its scratch buffers, so one kernel serves one pipeline thread at a time.
/// The SIMD engine (a later step) replaces the reference engine behind this interface.
/// </summary>
public interface ISpectrogramEngine
{
    string Name { get; }

    ISpectrumKernel CreateSpectrum(SpectrumShape shape);

    IWaterfallKernel CreateWaterfall(WaterfallShape shape);
}

/// <summary>An <c>Nfft</c>-point spectrum of <c>Channels</c> channels, keeping bins <c>FirstBin .. FirstBin + BinCount - 1</c>.</summary>
public readonly record struct SpectrumShape(int Nfft, int FirstBin, int BinCount, int Channels);

/// <summary>A waterfall line over <c>Hop</c> samples of <c>Channels</c> channels.</summary>
public readonly record struct WaterfallShape(int Hop, int Channels);

public interface ISpectrumKernel
{
    SpectrumShape Shape { get; }

    /// <summary>
    /// <paramref name="frame"/> is time-major <c>[Nfft][Channels]</c> (the layout samples arrive in);
    /// <paramref name="destination"/> is channel-major <c>[Channels][BinCount]</c> of
    /// <c>10*log10(|X_k|^2 + 1e-12)</c> with the unit-power periodic Hann window (CONTRACT §1).
    /// </summary>
    void Compute(ReadOnlySpan<float> frame, Span<float> destination);
}

public interface IWaterfallKernel
{
    WaterfallShape Shape { get; }

    /// <summary>
    /// <paramref name="block"/> is time-major <c>[Hop][Channels]</c>; <paramref name="destination"/> gets
    /// <c>10*log10(mean(x^2) + 1e-12)</c> per channel.
    /// </summary>
    void Compute(ReadOnlySpan<float> block, Span<float> destination);
}
