using Focus.Analyzer.Spectral;

namespace Focus.Analyzer.Pipeline;

/// <summary>
/// The kernel behind one job's lines: a spectrum of every channel per frame (<c>[channels][bins]</c>),
/// or a waterfall line of mean power per channel (<c>[channels]</c>). The engine's kernel is made at the first line:
/// a job nobody reads never allocates its scratch (pinned, up to 8 MiB at nfft 65536).
/// </summary>
internal sealed class LineKernel
{
    private readonly Func<ISpectrumKernel>? _makeSpectrum;
    private readonly Func<IWaterfallKernel>? _makeWaterfall;
    private ISpectrumKernel? _spectrumKernel;
    private IWaterfallKernel? _waterfallKernel;

    private LineKernel(Func<ISpectrumKernel>? spectrum, Func<IWaterfallKernel>? waterfall, int frameSamples, int outputLength)
    {
        _makeSpectrum = spectrum;
        _makeWaterfall = waterfall;
        FrameSamples = frameSamples;
        OutputLength = outputLength;
    }

    // Made on the pipeline's thread, the only one that computes (a kernel serves one thread at a time anyway).
    private ISpectrumKernel? Spectrum => _makeSpectrum is null ? null : _spectrumKernel ??= _makeSpectrum();
    private IWaterfallKernel? Waterfall => _makeWaterfall is null ? null : _waterfallKernel ??= _makeWaterfall();

    /// <summary>Samples per channel behind one line.</summary>
    public int FrameSamples { get; }

    /// <summary>Values one frame yields, every stream's line side by side.</summary>
    public int OutputLength { get; }

    /// <summary>Checks the shape now (a bad one fails the job's start), makes the engine's kernel at the first line.</summary>
    public static LineKernel Create(ISpectrogramEngine engine, PipelineSpec spec)
    {
        if (spec.IsWaterfall)
        {
            var waterfall = new WaterfallShape(spec.Hop, spec.ChannelAmount);
            SpectralShapes.Validate(waterfall);
            return new(null, () => engine.CreateWaterfall(waterfall), spec.Hop, spec.ChannelAmount);
        }
        var spectrum = new SpectrumShape(spec.Nfft, spec.FirstBin, spec.BinCount, spec.ChannelAmount);
        SpectralShapes.Validate(spectrum);
        return new(() => engine.CreateSpectrum(spectrum), null, spec.Nfft, spec.ChannelAmount * spec.BinCount);
    }

    /// <summary>
    /// Consecutive lines a <see cref="ComputeLines"/> call should be given: more than 1 for a spectrum of fewer channels
    /// than vector lanes (SINGLECHANNEL, a few channels), whose engine then computes consecutive frames side by side.
    /// </summary>
    public int LinesPerBatch => Spectrum?.FramesPerBatch ?? 1;

    public void Compute(ReadOnlySpan<float> frame, Span<float> destination, CancellationToken cancellationToken = default)
    {
        if (Spectrum is { } spectrum) spectrum.Compute(frame, destination, cancellationToken);
        else Waterfall!.Compute(frame, destination);
    }

    /// <summary>
    /// <paramref name="count"/> consecutive lines from <paramref name="frames"/> (<see cref="FrameAssembler.TryTakeFrames"/>:
    /// time-major rows, line i's frame at row <c>i * hop</c>) into <paramref name="destination"/>, line i at
    /// <c>i * OutputLength</c>.
    /// </summary>
    public void ComputeLines(ReadOnlySpan<float> frames, int hop, int count, Span<float> destination, CancellationToken cancellationToken = default)
    {
        if (Spectrum is { } spectrum)
        {
            spectrum.ComputeFrames(frames, hop, count, destination, cancellationToken);
            return;
        }
        var waterfall = Waterfall!;
        int channels = waterfall.Shape.Channels;
        for (int i = 0; i < count; i++)
        {
            cancellationToken.ThrowIfCancellationRequested();
            waterfall.Compute(frames.Slice(i * hop * channels, FrameSamples * channels), destination.Slice(i * OutputLength, OutputLength));
        }
    }
}
