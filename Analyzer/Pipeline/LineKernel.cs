using Focus.Analyzer.Spectral;

namespace Focus.Analyzer.Pipeline;

/// <summary>
/// The kernel behind one job's lines: a spectrum of every channel per frame (<c>[channels][bins]</c>),
/// or a waterfall line of mean power per channel (<c>[channels]</c>).
/// </summary>
internal sealed class LineKernel
{
    private readonly ISpectrumKernel? _spectrum;
    private readonly IWaterfallKernel? _waterfall;

    private LineKernel(ISpectrumKernel? spectrum, IWaterfallKernel? waterfall, int frameSamples, int outputLength)
    {
        _spectrum = spectrum;
        _waterfall = waterfall;
        FrameSamples = frameSamples;
        OutputLength = outputLength;
    }

    /// <summary>Samples per channel behind one line.</summary>
    public int FrameSamples { get; }

    /// <summary>Values one frame yields, every stream's line side by side.</summary>
    public int OutputLength { get; }

    public static LineKernel Create(ISpectrogramEngine engine, PipelineSpec spec) => spec.IsWaterfall
        ? new(null, engine.CreateWaterfall(new WaterfallShape(spec.Hop, spec.ChannelAmount)), spec.Hop, spec.ChannelAmount)
        : new(engine.CreateSpectrum(new SpectrumShape(spec.Nfft, spec.FirstBin, spec.BinCount, spec.ChannelAmount)),
            null, spec.Nfft, spec.ChannelAmount * spec.BinCount);

    public void Compute(ReadOnlySpan<float> frame, Span<float> destination)
    {
        if (_spectrum is not null) _spectrum.Compute(frame, destination);
        else _waterfall!.Compute(frame, destination);
    }
}
