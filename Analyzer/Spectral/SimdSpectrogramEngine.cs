using System.Numerics.Tensors;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;
using Focus.Analyzer.Spectral.Kernels;

namespace Focus.Analyzer.Spectral;

/// <summary>Widest vector the SIMD engine may use; narrower widths (and scalar) serve channel tails.</summary>
public enum SimdWidth
{
    Scalar = 1,
    Vector128 = 4,
    Vector256 = 8,
    Vector512 = 16,
}

/// <summary>
/// The vectorised engine: channels are batched into the lanes of Vector512/256/128 (a time-major frame
/// already holds a sample of consecutive channels side by side), so each FFT butterfly is one vector
/// operation over 16/8/4 channels. Window, FFT, power and dB run in float with precomputed per-N
/// tables (<see cref="FftPlan"/>); results agree with <see cref="ReferenceSpectrogramEngine"/> within
/// 0.01 dB where the power exceeds 0.1, and per channel they are the same whatever width ran them.
/// Kernels allocate only when created.
/// </summary>
public sealed class SimdSpectrogramEngine : ISpectrogramEngine
{
    private readonly FftPlanCache _plans;

    public SimdSpectrogramEngine() : this(FftPlanCache.Shared, BestWidth) { }

    public SimdSpectrogramEngine(FftPlanCache plans) : this(plans, BestWidth) { }

    /// <summary>Forces the widest vector width (tests, benchmarks). Widths the hardware lacks still run, in software.</summary>
    public SimdSpectrogramEngine(FftPlanCache plans, SimdWidth maxWidth)
    {
        _plans = plans;
        MaxWidth = maxWidth;
    }

    public string Name => "simd";

    public SimdWidth MaxWidth { get; }

    /// <summary>The widest width the hardware accelerates.</summary>
    public static SimdWidth BestWidth =>
        Vector512.IsHardwareAccelerated ? SimdWidth.Vector512 :
        Vector256.IsHardwareAccelerated ? SimdWidth.Vector256 :
        Vector128.IsHardwareAccelerated ? SimdWidth.Vector128 : SimdWidth.Scalar;

    public ISpectrumKernel CreateSpectrum(SpectrumShape shape) => CreateSimdSpectrum(shape);

    /// <summary>The concrete kernel, with the strided <see cref="SimdSpectrumKernel.Compute(ReadOnlySpan{float}, int, Span{float}, int)"/>.</summary>
    public SimdSpectrumKernel CreateSimdSpectrum(SpectrumShape shape, float powerGain = 1f)
    {
        SpectralShapes.Validate(shape);
        return new SimdSpectrumKernel(shape, _plans.Get(shape.Nfft), MaxWidth, powerGain);
    }

    public IWaterfallKernel CreateWaterfall(WaterfallShape shape)
    {
        SpectralShapes.Validate(shape);
        return new SimdWaterfallKernel(shape);
    }
}

public sealed class SimdSpectrumKernel : ISpectrumKernel
{
    private readonly FftPlan _plan;
    private readonly SimdWidth _width;
    private readonly float _powerGain;
    private readonly float[] _re; // re and im in one array (see the constructor)
    private readonly float[] _im;
    private readonly float[] _tile;
    private readonly float[]? _pad;
    private readonly float[]? _lanes;
    private readonly SlidingFrames? _sliding;
    private readonly int _reOffset, _imOffset, _tileOffset, _padOffset, _lanesOffset;
    private readonly int _maxLanes;

    internal SimdSpectrumKernel(SpectrumShape shape, FftPlan plan, SimdWidth maxWidth, float powerGain)
    {
        if (!(powerGain > 0) || !float.IsFinite(powerGain)) // the dB folds log10(gain) into a constant
            throw new ArgumentOutOfRangeException(nameof(powerGain), powerGain, "The power gain must be positive and finite.");
        Shape = shape;
        _plan = plan;
        _powerGain = powerGain;
        _maxLanes = (int)maxWidth;
        // The widest block this shape runs: full blocks of maxWidth, then one tail block of the narrowest width
        // that holds the remaining channels (zero-padded lanes), e.g. 50 channels = 3 x 16 + 2 in a 4-lane block.
        int widest = 0, padLanes = 0;
        for (int c = 0; c < shape.Channels;)
        {
            int r = shape.Channels - c, lanes = BlockLanes(r);
            widest = Math.Max(widest, lanes);
            if (r < lanes) { padLanes = lanes; c += r; } else c += lanes;
        }
        _width = (SimdWidth)widest;
        FramesPerBatch = shape.Channels < _maxLanes ? _maxLanes : 1;
        int scratchLanes = FramesPerBatch > 1 ? _maxLanes : widest;
        int m = shape.Nfft / 2;
        _re = _im = AlignedArray.AllocateSkewedPair(m * scratchLanes, out _reOffset, out _imOffset);
        _tile = AlignedArray.Allocate(2 * scratchLanes * scratchLanes, out _tileOffset); // a bin tile and its mirror tile
        _pad = padLanes == 0 ? null : AlignedArray.Allocate(shape.Nfft * padLanes, out _padOffset);
        if (_pad != null) Array.Clear(_pad); // padded lanes stay zero; only the real ones are ever written
        if (FramesPerBatch > 1)
        {
            // Frames in the lanes: a [Nfft][lanes] block plus the lanes a row's last vector copy spills into.
            _lanes = AlignedArray.Allocate(shape.Nfft * _maxLanes + _maxLanes, out _lanesOffset);
            Array.Clear(_lanes); // unused lanes hold earlier samples, never uninitialised bits (denormals would be slow)
            // One channel at hop = N/4 needs no block for full batches (SlidingFrames); made here, where allocation is
            // allowed, whenever some hop can slide (the hop only comes with ComputeFrames). It borrows this kernel's
            // scratch (same re/im layout, its rows in the block's place): a batch runs one path or the other.
            if (shape.Channels == 1 && SlidingFrames.Applies(shape.Nfft, shape.Nfft / 4, _maxLanes))
                _sliding = new SlidingFrames(plan, _maxLanes, shape.FirstBin, shape.BinCount, powerGain,
                    (_re, _reOffset, _imOffset, _tile, _tileOffset, _lanes, _lanesOffset));
        }
    }

    /// <summary>Lanes of the block that serves the next <paramref name="remaining"/> channels (or frame-channel pairs).</summary>
    private int BlockLanes(int remaining)
    {
        int lanes = remaining <= 1 ? 1 : remaining <= 4 ? 4 : remaining <= 8 ? 8 : 16;
        return Math.Min(lanes, _maxLanes);
    }

    public SpectrumShape Shape { get; }

    /// <summary>The widest block this kernel runs (a tail of fewer channels runs in a zero-padded block).</summary>
    public SimdWidth Width => _width;

    /// <summary>
    /// The lane count when the shape has fewer channels than lanes: <see cref="ComputeFrames"/> then puts consecutive
    /// frames in the lanes, and a batch of this many frames fills every lane. 1 for wide shapes.
    /// </summary>
    public int FramesPerBatch { get; }

    /// <summary>
    /// Whether <see cref="ComputeFrames"/> at this hop runs its full batches through <see cref="SlidingFrames"/> (one
    /// channel, hop = N/4 with N = 4^k, 16 or 8 lanes the hardware shifts): the same bits as the gathered block.
    /// </summary>
    internal bool Slides(int hop) => _sliding is not null && SlidingFrames.Applies(Shape.Nfft, hop, _maxLanes);

    public void Compute(ReadOnlySpan<float> frame, Span<float> destination) =>
        Compute(frame, Shape.Channels, destination, Shape.BinCount);

    public void Compute(ReadOnlySpan<float> frame, Span<float> destination, CancellationToken cancellationToken) =>
        Compute(frame, Shape.Channels, destination, Shape.BinCount, cancellationToken);

    /// <summary>
    /// Strided form: sample n of channel c is <c>frame[n*frameStride + c]</c> (c &lt; Channels &lt;= frameStride), and
    /// bin i of channel c goes to <c>destination[c*destinationStride + i]</c>. Lets a caller run a slice of a wider
    /// frame's channels, or write straight into a larger <c>[channel][frame][bin]</c> array. The token is checked
    /// before every block of channels (a frame of all 2222 channels at Nfft 65536 is ~140 blocks).
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public void Compute(ReadOnlySpan<float> frame, int frameStride, Span<float> destination, int destinationStride,
        CancellationToken cancellationToken = default)
    {
        SpectrumShape s = Shape;
        if (frameStride < s.Channels)
            throw new ArgumentOutOfRangeException(nameof(frameStride), frameStride, "The frame stride must be at least Channels.");
        if (destinationStride < s.BinCount)
            throw new ArgumentOutOfRangeException(nameof(destinationStride), destinationStride, "The destination stride must be at least BinCount.");
        long need = (long)(s.Nfft - 1) * frameStride + s.Channels;
        if (frame.Length < need)
            throw new ArgumentException($"The frame holds {frame.Length} samples, the shape needs {need}.", nameof(frame));
        long outNeed = (long)(s.Channels - 1) * destinationStride + s.BinCount;
        if (destination.Length < outNeed)
            throw new ArgumentException($"The destination holds {destination.Length} values, the shape needs {outNeed}.", nameof(destination));

        ref float x = ref MemoryMarshal.GetReference(frame);
        ref float d = ref MemoryMarshal.GetReference(destination);
        int channels = s.Channels;
        for (int c = 0; c < channels;)
        {
            cancellationToken.ThrowIfCancellationRequested();
            int r = channels - c, lanes = BlockLanes(r);
            ref float source = ref Unsafe.Add(ref x, c);
            nint stride = frameStride;
            int valid = Math.Min(r, lanes);
            if (r < lanes)
            {
                // Tail: copy the remaining channels into a zero-padded [Nfft][lanes] frame.
                ref float pad = ref _pad![_padOffset];
                for (int n = 0; n < s.Nfft; n++)
                    for (int l = 0; l < r; l++)
                        Unsafe.Add(ref pad, n * lanes + l) = Unsafe.Add(ref source, (nint)n * frameStride + l);
                source = ref pad;
                stride = lanes;
            }
            Block(lanes, ref source, stride, ref Unsafe.Add(ref d, (nint)c * destinationStride), destinationStride, valid);
            c += valid;
        }
    }

    /// <summary>
    /// Consecutive frames (see <see cref="ISpectrumKernel.ComputeFrames"/>). With fewer channels than lanes, the lanes
    /// hold (frame, channel) pairs, so a 1-channel job runs 16 frames per Vector512 pass instead of one scalar frame;
    /// each lane still runs exactly the operations of a channel lane, so the lines are the same as
    /// <see cref="Compute(ReadOnlySpan{float}, Span{float})"/>'s. The token is checked before every block.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public void ComputeFrames(ReadOnlySpan<float> samples, int hop, int frameCount, Span<float> destination,
        CancellationToken cancellationToken = default)
    {
        SpectrumShape s = Shape;
        SpectralShapes.CheckFrames(s, samples.Length, hop, frameCount, destination.Length);
        int line = s.Channels * s.BinCount;
        if (FramesPerBatch == 1)
        {
            for (int f = 0; f < frameCount; f++)
                Compute(samples.Slice(f * hop * s.Channels), s.Channels, destination.Slice(f * line), s.BinCount, cancellationToken);
            return;
        }
        Span<float> block = _lanes.AsSpan(_lanesOffset, s.Nfft * _maxLanes + _maxLanes);
        ref float d = ref MemoryMarshal.GetReference(destination);
        int pairs = frameCount * s.Channels;
        bool slides = Slides(hop);
        for (int p = 0; p < pairs;)
        {
            cancellationToken.ThrowIfCancellationRequested();
            int r = pairs - p, lanes = BlockLanes(r), valid = Math.Min(r, lanes);
            if (slides && valid == _maxLanes)
            {
                _sliding!.Compute(samples, hop, p, destination.Slice(p * s.BinCount), s.BinCount);
                p += valid;
                continue;
            }
            FrameLanes.Gather(samples, s.Channels, hop, s.Nfft, p, valid, lanes, block);
            Block(lanes, ref MemoryMarshal.GetReference(block), lanes, ref Unsafe.Add(ref d, (nint)p * s.BinCount), s.BinCount, valid);
            p += valid;
        }
    }

    /// <summary>One block of <paramref name="lanes"/> lanes, the first <paramref name="valid"/> of them written out.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private void Block(int lanes, ref float source, nint stride, ref float row, nint destinationStride, int valid)
    {
        SpectrumShape s = Shape;
        ReadOnlySpan<float> window = _plan.Window.ValuesSingle;
        ref float re = ref _re[_reOffset];
        ref float im = ref _im[_imOffset];
        ref float tile = ref _tile[_tileOffset];
        switch (lanes)
        {
            case 16:
                BatchedRealFft.Compute<Vector512<float>, V512Ops>(_plan, window, ref source, stride, ref row, destinationStride,
                    s.FirstBin, s.BinCount, ref re, ref im, ref tile, _powerGain, valid);
                break;
            case 8:
                BatchedRealFft.Compute<Vector256<float>, V256Ops>(_plan, window, ref source, stride, ref row, destinationStride,
                    s.FirstBin, s.BinCount, ref re, ref im, ref tile, _powerGain, valid);
                break;
            case 4:
                BatchedRealFft.Compute<Vector128<float>, V128Ops>(_plan, window, ref source, stride, ref row, destinationStride,
                    s.FirstBin, s.BinCount, ref re, ref im, ref tile, _powerGain, valid);
                break;
            default:
                BatchedRealFft.Compute<float, ScalarOps>(_plan, window, ref source, stride, ref row, destinationStride,
                    s.FirstBin, s.BinCount, ref re, ref im, ref tile, _powerGain, valid);
                break;
        }
    }
}

internal sealed class SimdWaterfallKernel : IWaterfallKernel
{
    private readonly float[] _sums;

    public SimdWaterfallKernel(WaterfallShape shape)
    {
        Shape = shape;
        _sums = new float[shape.Channels];
    }

    public WaterfallShape Shape { get; }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public void Compute(ReadOnlySpan<float> block, Span<float> destination)
    {
        WaterfallShape s = Shape;
        SpectralShapes.CheckSpans(s, block.Length, destination.Length);
        int channels = s.Channels;
        Span<float> sums = _sums;
        sums.Clear();
        for (int t = 0; t < s.Hop; t++)
        {
            ReadOnlySpan<float> row = block.Slice(t * channels, channels);
            TensorPrimitives.MultiplyAdd(row, row, sums, sums);
        }
        Span<float> output = destination[..channels];
        TensorPrimitives.Multiply(sums, 1f / s.Hop, output);
        TensorPrimitives.Add(output, 1e-12f, output);
        TensorPrimitives.Log10(output, output);
        TensorPrimitives.Multiply(output, 10f, output);
    }
}
