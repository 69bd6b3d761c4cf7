using System.Numerics;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;

namespace Focus.Analyzer.Spectral.Kernels;

/// <summary>
/// One channel's overlapping frames in the lanes without their [N][lanes] block. Lane l holds frame p0 + l, so row
/// n + hop is row n moved down one lane with the last frame's sample n + hop entering the top lane. At hop = N/4
/// (75 % overlap) the first radix-8 stage's points t and t + 2 lie exactly a hop apart (point t is row
/// n + t*N/8), so it loads points 0 and 1 from the first hop rows (tile-transposed) and derives the other six in
/// registers: a quarter of the block is written and read instead of all of it (256 KiB per 16 frames at N = 4096).
/// Each lane runs the operations of <see cref="BatchedRealFft.Compute{TV, TOps}"/>: the results are the same bits.
/// Allocates only when created.
/// </summary>
internal sealed class SlidingFrames
{
    private readonly FftPlan _plan;
    private readonly int _firstBin, _binCount;
    private readonly float _powerGain;
    private readonly float[] _re, _im, _tile, _rows;
    private readonly int _reOffset, _imOffset, _tileOffset, _rowsOffset;

    public SlidingFrames(FftPlan plan, int lanes, int firstBin, int binCount, float powerGain = 1f)
        : this(plan, lanes, firstBin, binCount, powerGain, OwnScratch(plan.Length, lanes)) { }

    /// <summary>
    /// On a caller's scratch (the engine kernel lends its own, which it does not use while frames slide): re and im of
    /// N/2 x lanes floats at their offsets in <c>reIm</c>, a 2 x lanes x lanes tile and N/4 x lanes rows, all 64-byte aligned.
    /// </summary>
    internal SlidingFrames(FftPlan plan, int lanes, int firstBin, int binCount, float powerGain,
        (float[] ReIm, int Re, int Im, float[] Tile, int TileOffset, float[] Rows, int RowsOffset) scratch)
    {
        if (lanes != 16 && lanes != 8)
            throw new ArgumentOutOfRangeException(nameof(lanes), lanes, "Frames slide through 16 or 8 lanes.");
        if (!(powerGain > 0) || !float.IsFinite(powerGain)) // the dB folds log10(gain) into a constant
            throw new ArgumentOutOfRangeException(nameof(powerGain), powerGain, "The power gain must be positive and finite.");
        _plan = plan;
        Lanes = lanes;
        _firstBin = firstBin;
        _binCount = binCount;
        _powerGain = powerGain;
        (_re, _reOffset, _imOffset, _tile, _tileOffset, _rows, _rowsOffset) = scratch;
        _im = _re;
    }

    private static (float[], int, int, float[], int, float[], int) OwnScratch(int nfft, int lanes)
    {
        int m = nfft / 2;
        float[] reIm = AlignedArray.AllocateSkewedPair(m * lanes, out int re, out int im, zeroed: true);
        float[] tile = AlignedArray.Allocate(2 * lanes * lanes, out int tileOffset, zeroed: true);
        float[] rows = AlignedArray.Allocate(nfft / 4 * lanes, out int rowsOffset, zeroed: true);
        return (reIm, re, im, tile, tileOffset, rows, rowsOffset);
    }

    public int Lanes { get; }

    /// <summary>
    /// Whether frames at this hop can slide: hop = N/4, a multiple of the lanes, the radix-8 first stages (N = 4^k), and
    /// the lane shift in hardware (AVX-512 for 16 lanes, AVX2 for 8).
    /// </summary>
    public static bool Applies(int nfft, int hop, int lanes) =>
        hop * 4 == nfft && hop % lanes == 0 && ((BitOperations.Log2((uint)nfft) - 3) & 1) == 1 &&
        (lanes == 16 ? Avx512F.IsSupported : lanes == 8 && Avx2.IsSupported);

    /// <summary>
    /// Frames p0..p0+Lanes-1 of one channel (frame f is <c>samples[f*hop ..]</c>, hop = N/4): the kept bins of frame
    /// p0 + l go to <c>destination[l*destinationStride ..]</c>.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public void Compute(ReadOnlySpan<float> samples, int hop, int p0, Span<float> destination, int destinationStride)
    {
        int lanes = Lanes, nfft = _plan.Length;
        if (!Applies(nfft, hop, lanes))
            throw new ArgumentOutOfRangeException(nameof(hop), hop, $"Frames of {nfft} samples do not slide at this hop through {lanes} lanes.");
        if (samples.Length < (long)(p0 + lanes - 1) * hop + nfft)
            throw new ArgumentException("The samples end before the last frame.", nameof(samples));
        if (destination.Length < (long)(lanes - 1) * destinationStride + _binCount || destinationStride < _binCount)
            throw new ArgumentException("The destination is too short for the frames' bins.", nameof(destination));
        ref float first = ref Unsafe.Add(ref MemoryMarshal.GetReference(samples), (nint)p0 * hop);
        ref float rows = ref _rows[_rowsOffset];
        for (int r = 0; r < hop; r += lanes)
            FrameLanes.BaseTile(ref first, hop, lanes, ref rows, r);
        ref float top = ref Unsafe.Add(ref first, (nint)(lanes - 1) * hop);
        ref float d = ref MemoryMarshal.GetReference(destination);
        if (lanes == 16)
            BatchedRealFft.ComputeSliding<Vector512<float>, V512Ops>(_plan, _plan.Window.ValuesSingle, ref rows, ref top, ref d, destinationStride,
                _firstBin, _binCount, ref _re[_reOffset], ref _im[_imOffset], ref _tile[_tileOffset], _powerGain);
        else
            BatchedRealFft.ComputeSliding<Vector256<float>, V256Ops>(_plan, _plan.Window.ValuesSingle, ref rows, ref top, ref d, destinationStride,
                _firstBin, _binCount, ref _re[_reOffset], ref _im[_imOffset], ref _tile[_tileOffset], _powerGain);
    }

    /// <summary>
    /// <see cref="BatchedRealFft.FirstThreeStages{TV, TOps}"/> over points from..to-1 with the frames' rows 0..N/4-1 at
    /// <paramref name="rows"/> (row r at <c>rows + r*Lanes</c>) and the last frame's samples at <paramref name="top"/>.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    internal static void FirstThreeStages<TV, TOps>(FftPlan plan, ReadOnlySpan<float> window, ref float rows, ref float top,
        ref float re, ref float im, int from, int to)
        where TV : struct
        where TOps : struct, IVectorOps<TV>
    {
        int l = TOps.Lanes, m = plan.Length / 2;
        nint step = plan.Length / 8; // point t of a butterfly is row n + t*step; hop = 2*step
        to = Math.Min(to, m);
        ref int rev = ref MemoryMarshal.GetReference(plan.BitReverse);
        ref float w = ref MemoryMarshal.GetReference(window);
        TV half = TOps.Splat(0.70710677f); // 1/sqrt(2)
        for (int q = from / 8; q < to / 8; q++)
        {
            // Point t's re is row n + t*step, its im the next row; t = 0, 1 are base rows (n + step + 1 < hop), t >= 2 is
            // point t - 2 one hop later: slid by one frame, the last frame's samples (top) entering. `at` and `wt` walk
            // the top samples and the window from point to point (fewer address computations than indexing each).
            nint n = 2 * (nint)Unsafe.Add(ref rev, 8 * q);
            ref float p0 = ref Unsafe.Add(ref rows, n * l);
            ref float p1 = ref Unsafe.Add(ref p0, step * l);
            ref float at = ref Unsafe.Add(ref top, n);
            ref float wt = ref Unsafe.Add(ref w, n);
            TV x0r = TOps.Load(ref p0), x0i = TOps.Load(ref Unsafe.Add(ref p0, l));
            TV a0r = Win(x0r, ref wt, 0), a0i = Win(x0i, ref wt, 1);
            wt = ref Unsafe.Add(ref wt, step);
            TV x1r = TOps.Load(ref p1), x1i = TOps.Load(ref Unsafe.Add(ref p1, l));
            TV a1r = Win(x1r, ref wt, 0), a1i = Win(x1i, ref wt, 1);
            at = ref Unsafe.Add(ref at, 2 * step); wt = ref Unsafe.Add(ref wt, step);
            TV x2r = Slide(x0r, at), x2i = Slide(x0i, Unsafe.Add(ref at, 1));
            TV a2r = Win(x2r, ref wt, 0), a2i = Win(x2i, ref wt, 1);
            at = ref Unsafe.Add(ref at, step); wt = ref Unsafe.Add(ref wt, step);
            TV x3r = Slide(x1r, at), x3i = Slide(x1i, Unsafe.Add(ref at, 1));
            TV a3r = Win(x3r, ref wt, 0), a3i = Win(x3i, ref wt, 1);
            at = ref Unsafe.Add(ref at, step); wt = ref Unsafe.Add(ref wt, step);
            TV x4r = Slide(x2r, at), x4i = Slide(x2i, Unsafe.Add(ref at, 1));
            TV a4r = Win(x4r, ref wt, 0), a4i = Win(x4i, ref wt, 1);
            at = ref Unsafe.Add(ref at, step); wt = ref Unsafe.Add(ref wt, step);
            TV x5r = Slide(x3r, at), x5i = Slide(x3i, Unsafe.Add(ref at, 1));
            TV a5r = Win(x5r, ref wt, 0), a5i = Win(x5i, ref wt, 1);
            at = ref Unsafe.Add(ref at, step); wt = ref Unsafe.Add(ref wt, step);
            TV a6r = Win(Slide(x4r, at), ref wt, 0), a6i = Win(Slide(x4i, Unsafe.Add(ref at, 1)), ref wt, 1);
            at = ref Unsafe.Add(ref at, step); wt = ref Unsafe.Add(ref wt, step);
            TV a7r = Win(Slide(x5r, at), ref wt, 0), a7i = Win(Slide(x5i, Unsafe.Add(ref at, 1)), ref wt, 1);
            // In the radix-8 order rev3(t) = 0, 4, 2, 6, 1, 5, 3, 7.
            Radix8.FirstStages<TV, TOps>(ref re, ref im, (nint)8 * q * l, half,
                a0r, a0i, a4r, a4i, a2r, a2i, a6r, a6i, a1r, a1i, a5r, a5i, a3r, a3i, a7r, a7i);
        }

        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        static TV Win(TV x, ref float w, int k) => TOps.Mul(x, TOps.Splat(Unsafe.Add(ref w, k)));
    }

    /// <summary>Lanes 1.. of <paramref name="row"/> moved down one lane, <paramref name="entering"/> into the top lane.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    internal static TV Slide<TV>(TV row, float entering) where TV : struct
    {
        if (typeof(TV) == typeof(Vector512<float>))
            return (TV)(object)Avx512F.AlignRight32(Vector512.Create(entering).AsInt32(), ((Vector512<float>)(object)row).AsInt32(), 1).AsSingle();
        if (typeof(TV) == typeof(Vector256<float>))
        {
            Vector256<int> r = ((Vector256<float>)(object)row).AsInt32(), e = Vector256.Create(entering).AsInt32();
            return (TV)(object)(Avx512F.VL.IsSupported
                ? Avx512F.VL.AlignRight32(e, r, 1)
                : Avx2.Blend(Avx2.PermuteVar8x32(r, Vector256.Create(1, 2, 3, 4, 5, 6, 7, 7)), e, 0x80)).AsSingle();
        }
        throw new NotSupportedException($"No lane shift for {typeof(TV)}.");
    }
}
