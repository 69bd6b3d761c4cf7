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

    /// <summary>
    /// As <see cref="Compute(ReadOnlySpan{float}, Span{float})"/>, stopping with <see cref="OperationCanceledException"/>
    /// when <paramref name="cancellationToken"/> is cancelled; an engine may check it within the frame (between
    /// blocks of channels), so that a very wide frame stops promptly. The destination is then incomplete.
    /// </summary>
    void Compute(ReadOnlySpan<float> frame, Span<float> destination, CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        Compute(frame, destination);
    }

    /// <summary>
    /// How many consecutive frames a <see cref="ComputeFrames"/> call should hold to run at full speed: more than 1
    /// where the engine puts consecutive frames in vector lanes (shapes with fewer channels than lanes).
    /// </summary>
    int FramesPerBatch => 1;

    /// <summary>
    /// <paramref name="frameCount"/> consecutive frames, <paramref name="hop"/> samples apart: <paramref name="samples"/>
    /// is time-major <c>[(frameCount - 1) * hop + Nfft][Channels]</c> (frame f starts at row <c>f * hop</c>);
    /// <paramref name="destination"/> gets the frames' lines one after another, each <c>[Channels][BinCount]</c> as
    /// <see cref="Compute(ReadOnlySpan{float}, Span{float})"/> writes it.
    /// </summary>
    void ComputeFrames(ReadOnlySpan<float> samples, int hop, int frameCount, Span<float> destination, CancellationToken cancellationToken = default)
    {
        SpectrumShape s = Shape;
        SpectralShapes.CheckFrames(s, samples.Length, hop, frameCount, destination.Length);
        int line = s.Channels * s.BinCount;
        for (int f = 0; f < frameCount; f++)
            Compute(samples.Slice(f * hop * s.Channels, s.Nfft * s.Channels), destination.Slice(f * line, line), cancellationToken);
    }
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
