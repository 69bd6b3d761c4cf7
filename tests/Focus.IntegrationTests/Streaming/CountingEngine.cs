using Focus.Analyzer.Spectral;

namespace Focus.IntegrationTests.Streaming;

/// <summary>The reference engine, counting every kernel call (to prove idle jobs compute nothing).</summary>
internal sealed class CountingEngine : ISpectrogramEngine
{
    private readonly ReferenceSpectrogramEngine _inner = new();
    private long _calls;

    public string Name => "counting-reference";

    public long Calls => Interlocked.Read(ref _calls);

    public ISpectrumKernel CreateSpectrum(SpectrumShape shape) => new Spectrum(this, _inner.CreateSpectrum(shape));

    public IWaterfallKernel CreateWaterfall(WaterfallShape shape) => new Waterfall(this, _inner.CreateWaterfall(shape));

    private sealed class Spectrum(CountingEngine owner, ISpectrumKernel inner) : ISpectrumKernel
    {
        public SpectrumShape Shape => inner.Shape;

        public void Compute(ReadOnlySpan<float> frame, Span<float> destination)
        {
            Interlocked.Increment(ref owner._calls);
            inner.Compute(frame, destination);
        }
    }

    private sealed class Waterfall(CountingEngine owner, IWaterfallKernel inner) : IWaterfallKernel
    {
        public WaterfallShape Shape => inner.Shape;

        public void Compute(ReadOnlySpan<float> block, Span<float> destination)
        {
            Interlocked.Increment(ref owner._calls);
            inner.Compute(block, destination);
        }
    }
}
