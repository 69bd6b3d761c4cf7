using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;

namespace Focus.Analyzer.Spectral.Kernels;

/// <summary>
/// Gathers (frame, channel) pairs of consecutive frames into the lanes of a time-major block, for shapes with
/// fewer channels than vector lanes. Pairs are numbered <c>p = f * channels + c</c>; lane l of a block holds pair
/// <c>p0 + l</c>, so a block may start in the middle of a frame's channels and every lane is used (3 channels x 16
/// frames = 3 full blocks of 16). Since a line is <c>[channels][bins]</c> and lines follow each other, pair p's
/// bins go to <c>destination + p * bins</c>: the lanes write out with a constant stride, as channel lanes do.
/// </summary>
internal static class FrameLanes
{
    /// <summary>
    /// <c>block[n * lanes + l]</c> = sample n of pair <c>p0 + l</c>, l &lt; <paramref name="valid"/>, n &lt; nfft; lanes
    /// from <paramref name="valid"/> on hold stale values (their results are never written). The block needs
    /// <c>nfft * lanes + lanes</c> floats (the last row's vector copies spill into the extra lanes).
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static void Gather(ReadOnlySpan<float> samples, int channels, int hop, int nfft, int p0, int valid, int lanes, Span<float> block)
    {
        ref float x = ref System.Runtime.InteropServices.MemoryMarshal.GetReference(samples);
        ref float b = ref System.Runtime.InteropServices.MemoryMarshal.GetReference(block);
        if (channels == 1 && valid == lanes)
        {
            // One channel, whole block: frame l is a contiguous row of the input at stride hop; register tile transposes.
            ref float first = ref Unsafe.Add(ref x, (nint)p0 * hop);
            if (hop < nfft && hop % lanes == 0 && (lanes == 16 ? Avx512F.IsSupported : lanes == 8 && Avx2.IsSupported))
            {
                SlidingRows(ref first, hop, nfft, lanes, ref b);
                return;
            }
            if (lanes == 16 && Avx512F.IsSupported)
            {
                for (int n = 0; n < nfft; n += 16)
                    Transpose.Tile16x16(ref Unsafe.Add(ref first, n), hop, ref Unsafe.Add(ref b, (nint)n * 16), 16);
                return;
            }
            if (lanes == 8 && Avx.IsSupported)
            {
                for (int n = 0; n < nfft; n += 8)
                    Transpose.Tile8x8(ref Unsafe.Add(ref first, n), hop, ref Unsafe.Add(ref b, (nint)n * 8), 8);
                return;
            }
        }
        if (channels == 2 && (p0 & 1) == 0 && (valid & 1) == 0)
        {
            // Two channels: every piece is one 8-byte pair (a frame's two samples), copied as a long.
            ref long pairs = ref Unsafe.As<float, long>(ref b);
            for (int n = 0; n < nfft; n++)
            {
                ref long row = ref Unsafe.Add(ref pairs, (nint)n * (lanes / 2));
                ref float source = ref Unsafe.Add(ref x, ((nint)(p0 / 2) * hop + n) * 2);
                for (int f = 0; f < valid / 2; f++)
                    Unsafe.Add(ref row, f) = Unsafe.As<float, long>(ref Unsafe.Add(ref source, (nint)f * hop * 2));
            }
            return;
        }
        // Copy each piece with the narrowest vector that holds a frame's channels (fewer bytes moved and spilled).
        int copy = Math.Min(lanes, channels <= 1 ? 1 : channels <= 4 ? 4 : channels <= 8 ? 8 : 16);
        switch (copy)
        {
            case 16: Pieces<Vector512<float>, V512Ops>(samples, channels, hop, nfft, p0, valid, lanes, ref b); break;
            case 8: Pieces<Vector256<float>, V256Ops>(samples, channels, hop, nfft, p0, valid, lanes, ref b); break;
            case 4: Pieces<Vector128<float>, V128Ops>(samples, channels, hop, nfft, p0, valid, lanes, ref b); break;
            default: Pieces<float, ScalarOps>(samples, channels, hop, nfft, p0, valid, lanes, ref b); break;
        }
    }

    /// <summary>
    /// One channel, frames overlapping (hop &lt; nfft): row n + hop of the block is row n moved down one lane, with the
    /// last frame's sample n + hop entering the top lane (lane l of row n + hop is <c>x[(p0+l)*hop + n + hop]</c>, which
    /// is lane l + 1 of row n). Only the first hop rows need tile transposes; every later row costs one broadcast load,
    /// one lane shift and one store instead of its share of a transpose (3 of 4 rows at 75 % overlap).
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void SlidingRows(ref float first, int hop, int nfft, int lanes, ref float block)
    {
        ref float top = ref Unsafe.Add(ref first, (nint)(lanes - 1) * hop); // the last frame
        for (int r = 0; r < hop; r += lanes)
        {
            BaseTile(ref first, hop, lanes, ref block, r);
            for (int n = r; n < r + lanes; n++) // rows still in L1 from the tile
            {
                if (lanes == 16)
                {
                    Vector512<float> row = Vector512.LoadUnsafe(ref block, (nuint)n * 16);
                    for (int k = n + hop; k < nfft; k += hop)
                        (row = SlidingFrames.Slide(row, Unsafe.Add(ref top, k))).StoreUnsafe(ref block, (nuint)k * 16);
                }
                else
                {
                    Vector256<float> row = Vector256.LoadUnsafe(ref block, (nuint)n * 8);
                    for (int k = n + hop; k < nfft; k += hop)
                        (row = SlidingFrames.Slide(row, Unsafe.Add(ref top, k))).StoreUnsafe(ref block, (nuint)k * 8);
                }
            }
        }
    }

    /// <summary>Rows r..r+lanes-1 of a one-channel block of 16 or 8 lanes (frame l at <c>first + l*hop</c>), one tile transpose.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    internal static void BaseTile(ref float first, int hop, int lanes, ref float block, int r)
    {
        if (lanes == 16) Transpose.Tile16x16(ref Unsafe.Add(ref first, r), hop, ref Unsafe.Add(ref block, (nint)r * 16), 16);
        else Transpose.Tile8x8(ref Unsafe.Add(ref first, r), hop, ref Unsafe.Add(ref block, (nint)r * 8), 8);
    }

    /// <summary>
    /// A block's lanes are runs of consecutive channels of one frame ("pieces", at most lanes + 1). Row by row, each
    /// piece is copied with one vector of <c>TOps.Lanes</c> &gt;= its length: the lanes it writes past its own end belong
    /// to later pieces of the row or to the next row, which are written afterwards. Where a full vector would read past the input, element-wise.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void Pieces<TV, TOps>(ReadOnlySpan<float> samples, int channels, int hop, int nfft, int p0, int valid, int lanes, ref float block)
        where TV : struct
        where TOps : struct, IVectorOps<TV>
    {
        int width = TOps.Lanes; // of the copy, >= every piece's length
        Span<long> start = stackalloc long[17];  // input index of the piece's sample 0
        Span<int> length = stackalloc int[17];
        Span<int> lane = stackalloc int[17];
        Span<int> vectorRows = stackalloc int[17]; // rows whose full-vector read stays inside the input
        int pieces = 0;
        for (int p = p0; p < p0 + valid;)
        {
            int f = p / channels, c = p % channels;
            int run = Math.Min(channels - c, p0 + valid - p);
            start[pieces] = (long)f * hop * channels + c;
            length[pieces] = run;
            lane[pieces] = p - p0;
            long room = samples.Length - width - start[pieces]; // row n reads start + n*channels .. + width - 1
            vectorRows[pieces] = room < 0 ? 0 : (int)Math.Min(nfft, room / channels + 1);
            pieces++;
            p += run;
        }
        ref float x = ref System.Runtime.InteropServices.MemoryMarshal.GetReference(samples);
        for (int n = 0; n < nfft; n++)
        {
            ref float row = ref Unsafe.Add(ref block, (nint)n * lanes);
            for (int i = 0; i < pieces; i++)
            {
                ref float source = ref Unsafe.Add(ref x, (nint)(start[i] + (long)n * channels));
                ref float target = ref Unsafe.Add(ref row, lane[i]);
                if (n < vectorRows[i])
                    TOps.Store(TOps.Load(ref source), ref target);
                else
                    for (int j = 0; j < length[i]; j++) Unsafe.Add(ref target, j) = Unsafe.Add(ref source, j);
            }
        }
    }
}
