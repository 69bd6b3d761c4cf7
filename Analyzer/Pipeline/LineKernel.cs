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

    /// <summary>
    /// Consecutive lines a <see cref="ComputeLines"/> call should be given: more than 1 for a spectrum of fewer channels
    /// than vector lanes (SINGLECHANNEL, a few channels), whose engine then computes consecutive frames side by side.
    /// </summary>
    public int LinesPerBatch => _spectrum?.FramesPerBatch ?? 1;

    public void Compute(ReadOnlySpan<float> frame, Span<float> destination, CancellationToken cancellationToken = default)
    {
        if (_spectrum is not null) _spectrum.Compute(frame, destination, cancellationToken);
        else _waterfall!.Compute(frame, destination);
    }

    /// <summary>
    /// <paramref name="count"/> consecutive lines from <paramref name="frames"/> (<see cref="FrameAssembler.TryTakeFrames"/>:
    /// time-major rows, line i's frame at row <c>i * hop</c>) into <paramref name="destination"/>, line i at
    /// <c>i * OutputLength</c>.
    /// </summary>
    public void ComputeLines(ReadOnlySpan<float> frames, int hop, int count, Span<float> destination, CancellationToken cancellationToken = default)
    {
        if (_spectrum is not null)
        {
            _spectrum.ComputeFrames(frames, hop, count, destination, cancellationToken);
            return;
        }
        int channels = _waterfall!.Shape.Channels;
        for (int i = 0; i < count; i++)
        {
            cancellationToken.ThrowIfCancellationRequested();
            _waterfall.Compute(frames.Slice(i * hop * channels, FrameSamples * channels), destination.Slice(i * OutputLength, OutputLength));
        }
    }
}
