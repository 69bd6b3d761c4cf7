using BenchmarkDotNet.Attributes;
using Focus.Analyzer.Spectral;

namespace Focus.Bench.Spectrogram;

/// <summary>
/// One <c>Compute</c> = one frame of all channels (the pipeline's unit of work). MemoryDiagnoser shows the
/// steady-state allocation per frame (expected: 0 B). Shapes follow the yardstick cases: A (nfft 1024, 256
/// channels, all bins), B (nfft 256, 2048 channels), C (nfft 4096, 16 lanes, bins 3..1024), plus a 1-channel
/// SINGLECHANNEL frame, a 50-channel MULTICHANNEL job (3 x 16 + a padded 4-lane tail) and a WATERFALL line of the full fiber.
/// </summary>
[MemoryDiagnoser]
[InProcess] // an out-of-process job would build a project under Directory.Build.props (central packages, warnings as errors)
[WarmupCount(3)]
[IterationCount(10)]
public class SpectrumBenchmarks
{
    private ISpectrumKernel _simd = null!, _reference = null!;
    private float[] _frame = null!, _output = null!;

    [Params("A:1024:0:513:256", "B:256:0:129:2048", "C:4096:3:1022:16", "job50:1024:0:513:50", "single:1024:0:513:1")]
    public string Shape { get; set; } = "";

    [GlobalSetup]
    public void Setup()
    {
        string[] p = Shape.Split(':');
        var shape = new SpectrumShape(int.Parse(p[1]), int.Parse(p[2]), int.Parse(p[3]), int.Parse(p[4]));
        _simd = new SimdSpectrogramEngine().CreateSpectrum(shape);
        _reference = new ReferenceSpectrogramEngine().CreateSpectrum(shape);
        var random = new Random(1);
        _frame = new float[shape.Nfft * shape.Channels];
        for (int i = 0; i < _frame.Length; i++) _frame[i] = (float)(random.NextDouble() * 2 - 1);
        _output = new float[shape.Channels * shape.BinCount];
    }

    [Benchmark(Baseline = true)]
    public void Reference() => _reference.Compute(_frame, _output);

    [Benchmark]
    public void Simd() => _simd.Compute(_frame, _output);
}

[MemoryDiagnoser]
[InProcess] // an out-of-process job would build a project under Directory.Build.props (central packages, warnings as errors)
[WarmupCount(3)]
[IterationCount(10)]
public class WaterfallBenchmarks
{
    private IWaterfallKernel _simd = null!, _reference = null!;
    private float[] _block = null!, _output = null!;

    [GlobalSetup]
    public void Setup()
    {
        var shape = new WaterfallShape(20, 2222);
        _simd = new SimdSpectrogramEngine().CreateWaterfall(shape);
        _reference = new ReferenceSpectrogramEngine().CreateWaterfall(shape);
        _block = new float[shape.Hop * shape.Channels];
        var random = new Random(2);
        for (int i = 0; i < _block.Length; i++) _block[i] = (float)(random.NextDouble() * 2 - 1);
        _output = new float[shape.Channels];
    }

    [Benchmark(Baseline = true)]
    public void Reference() => _reference.Compute(_block, _output);

    [Benchmark]
    public void Simd() => _simd.Compute(_block, _output);
}
