using System.Runtime.CompilerServices;

namespace Focus.Analyzer.Spectral.Kernels;

/// <summary>
/// Window + real FFT + power + dB of <c>TOps.Lanes</c> channels (or frame-channel pairs) at once. Lane l of
/// every vector is lane l of the block throughout, so each butterfly is one vector operation and nothing
/// crosses lanes. The N-point real transform runs as an N/2-point complex FFT of
/// <c>z[j] = x[2j] + i*x[2j+1]</c> (split re/im, decimation in time, the first two or three stages
/// fused with the window and the bit-reversed gather, later stages in pairs as radix-4 butterflies, the
/// stages up to an L1-sized block run block by block), then the even/odd split, power and dB in one pass
/// over the kept bins only, bins k and M-k together where both are kept.
/// </summary>
/// <remarks>
/// The hot methods are <see cref="MethodImplOptions.AggressiveOptimization"/>: tiered compilation would otherwise
/// run them as unoptimised tier-0 code (every vector op a call) until call counting promotes them, which for a
/// kernel called a few hundred times per second can take many seconds.
/// </remarks>
internal static class BatchedRealFft
{
    /// <param name="plan">Tables for N.</param>
    /// <param name="frame">Sample 0 of the block's first channel; sample n of lane l at <c>frame + n*frameStride + l</c>.</param>
    /// <param name="destination">Row of the block's first channel; bin i of lane l at <c>destination + l*destinationStride + i</c>.</param>
    /// <param name="re">Scratch, N/2 * Lanes floats.</param>
    /// <param name="im">Scratch, N/2 * Lanes floats.</param>
    /// <param name="tile">Scratch, 2 * Lanes * Lanes floats (a tile of bins and its mirror).</param>
    /// <param name="powerGain">Factor on |X|^2 before the dB (1 for the contract's spectrum).</param>
    /// <param name="validLanes">Lanes (channels) to write; the others are padding.</param>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static void Compute<TV, TOps>(
        FftPlan plan, ReadOnlySpan<float> window, ref float frame, nint frameStride,
        ref float destination, nint destinationStride, int firstBin, int binCount,
        ref float re, ref float im, ref float tile, float powerGain, int validLanes)
        where TV : struct
        where TOps : struct, IVectorOps<TV> =>
        Transform<TV, TOps>(plan, window, ref frame, frameStride, ref Unsafe.NullRef<float>(), ref destination, destinationStride,
            firstBin, binCount, ref re, ref im, ref tile, powerGain, validLanes);

    /// <summary>
    /// <see cref="Compute{TV, TOps}"/> of one channel's frames p0..p0+Lanes-1 at hop N/4 (see <see cref="SlidingFrames"/>):
    /// <paramref name="baseRows"/> holds rows 0..N/4-1 of their block, <paramref name="top"/> is the last frame's sample 0.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    internal static void ComputeSliding<TV, TOps>(
        FftPlan plan, ReadOnlySpan<float> window, ref float baseRows, ref float top,
        ref float destination, nint destinationStride, int firstBin, int binCount,
        ref float re, ref float im, ref float tile, float powerGain)
        where TV : struct
        where TOps : struct, IVectorOps<TV> =>
        Transform<TV, TOps>(plan, window, ref baseRows, TOps.Lanes, ref top, ref destination, destinationStride,
            firstBin, binCount, ref re, ref im, ref tile, powerGain, TOps.Lanes);

    /// <summary>The transform; with a <paramref name="top"/> (not a null ref) the first stages derive the rows past N/4.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void Transform<TV, TOps>(
        FftPlan plan, ReadOnlySpan<float> window, ref float frame, nint frameStride, ref float top,
        ref float destination, nint destinationStride, int firstBin, int binCount,
        ref float re, ref float im, ref float tile, float powerGain, int validLanes)
        where TV : struct
        where TOps : struct, IVectorOps<TV>
    {
        int m = plan.Length / 2;
        bool sliding = !Unsafe.IsNullRef(ref top);
        // Stages of size 8..m that follow the fused first ones go in pairs; with an odd count, fuse three first.
        bool three = ((plan.Log2Length - 1 - 2) & 1) == 1;
        int first = three ? 8 : 4;
        // Cache blocking: the stages up to size `block` combine points within contiguous blocks of that size, so they
        // run block by block while its re/im (at most 16 KiB) stay in L1; only the larger stages sweep the whole array.
        int block = first;
        while (block * 4 <= m && block * 4 * TOps.Lanes * 2 * sizeof(float) <= 16384) block *= 4;
        int s;
        for (int b = 0; b < m; b += block)
        {
            if (sliding) SlidingFrames.FirstThreeStages<TV, TOps>(plan, window, ref frame, ref top, ref re, ref im, b, b + block);
            else if (three) FirstThreeStages<TV, TOps>(plan, window, ref frame, frameStride, ref re, ref im, b, b + block);
            else FirstStages<TV, TOps>(plan, window, ref frame, frameStride, ref re, ref im, b, b + block);
            for (s = 2 * first; 2 * s <= block; s <<= 2)
                StagePair<TV, TOps>(plan, s, m, ref re, ref im, b, b + block);
        }
        for (s = 2 * block; 2 * s <= m; s <<= 2)
            StagePair<TV, TOps>(plan, s, m, ref re, ref im);
        if (s <= m)
            Stage<TV, TOps>(plan, s, m, ref re, ref im);
        PowerDb<TV, TOps>(plan, m, ref re, ref im, ref destination, destinationStride, firstBin, binCount, ref tile, powerGain, validLanes);
    }

    /// <summary>Gather in bit-reversed order, window, and the size-2 and size-4 stages (trivial twiddles).</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    internal static void FirstStages<TV, TOps>(FftPlan plan, ReadOnlySpan<float> window, ref float x, nint xs, ref float re, ref float im,
        int from = 0, int to = int.MaxValue)
        where TV : struct
        where TOps : struct, IVectorOps<TV>
    {
        int l = TOps.Lanes, m = plan.Length / 2, quarter = m / 4;
        to = Math.Min(to, m);
        ref int rev = ref System.Runtime.InteropServices.MemoryMarshal.GetReference(plan.BitReverse);
        ref float w = ref System.Runtime.InteropServices.MemoryMarshal.GetReference(window);
        for (int q = from / 4; q < to / 4; q++)
        {
            int i0 = Unsafe.Add(ref rev, 4 * q);
            int i1 = i0 + m / 2, i2 = i0 + quarter, i3 = i1 + quarter;
            // z[i] = w[2i] x[2i] + i w[2i+1] x[2i+1]
            TV a0r = TOps.Mul(TOps.Load(ref Unsafe.Add(ref x, 2 * i0 * xs)), TOps.Splat(Unsafe.Add(ref w, 2 * i0)));
            TV a0i = TOps.Mul(TOps.Load(ref Unsafe.Add(ref x, (2 * i0 + 1) * xs)), TOps.Splat(Unsafe.Add(ref w, 2 * i0 + 1)));
            TV a1r = TOps.Mul(TOps.Load(ref Unsafe.Add(ref x, 2 * i1 * xs)), TOps.Splat(Unsafe.Add(ref w, 2 * i1)));
            TV a1i = TOps.Mul(TOps.Load(ref Unsafe.Add(ref x, (2 * i1 + 1) * xs)), TOps.Splat(Unsafe.Add(ref w, 2 * i1 + 1)));
            TV a2r = TOps.Mul(TOps.Load(ref Unsafe.Add(ref x, 2 * i2 * xs)), TOps.Splat(Unsafe.Add(ref w, 2 * i2)));
            TV a2i = TOps.Mul(TOps.Load(ref Unsafe.Add(ref x, (2 * i2 + 1) * xs)), TOps.Splat(Unsafe.Add(ref w, 2 * i2 + 1)));
            TV a3r = TOps.Mul(TOps.Load(ref Unsafe.Add(ref x, 2 * i3 * xs)), TOps.Splat(Unsafe.Add(ref w, 2 * i3)));
            TV a3i = TOps.Mul(TOps.Load(ref Unsafe.Add(ref x, (2 * i3 + 1) * xs)), TOps.Splat(Unsafe.Add(ref w, 2 * i3 + 1)));

            TV b0r = TOps.Add(a0r, a1r), b0i = TOps.Add(a0i, a1i);
            TV b1r = TOps.Sub(a0r, a1r), b1i = TOps.Sub(a0i, a1i);
            TV b2r = TOps.Add(a2r, a3r), b2i = TOps.Add(a2i, a3i);
            TV b3r = TOps.Sub(a2r, a3r), b3i = TOps.Sub(a2i, a3i);

            nint o = (nint)4 * q * l;
            TOps.Store(TOps.Add(b0r, b2r), ref Unsafe.Add(ref re, o));
            TOps.Store(TOps.Add(b0i, b2i), ref Unsafe.Add(ref im, o));
            TOps.Store(TOps.Add(b1r, b3i), ref Unsafe.Add(ref re, o + l));       // b1 + (-i) b3
            TOps.Store(TOps.Sub(b1i, b3r), ref Unsafe.Add(ref im, o + l));
            TOps.Store(TOps.Sub(b0r, b2r), ref Unsafe.Add(ref re, o + 2 * l));
            TOps.Store(TOps.Sub(b0i, b2i), ref Unsafe.Add(ref im, o + 2 * l));
            TOps.Store(TOps.Sub(b1r, b3i), ref Unsafe.Add(ref re, o + 3 * l));   // b1 - (-i) b3
            TOps.Store(TOps.Add(b1i, b3r), ref Unsafe.Add(ref im, o + 3 * l));
        }
    }

    /// <summary>Gather in bit-reversed order, window, and the stages of size 2, 4 and 8 (constant twiddles).</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    internal static void FirstThreeStages<TV, TOps>(FftPlan plan, ReadOnlySpan<float> window, ref float x, nint xs, ref float re, ref float im,
        int from = 0, int to = int.MaxValue)
        where TV : struct
        where TOps : struct, IVectorOps<TV>
    {
        int l = TOps.Lanes, m = plan.Length / 2, eighth = m / 8;
        to = Math.Min(to, m);
        ref int rev = ref System.Runtime.InteropServices.MemoryMarshal.GetReference(plan.BitReverse);
        ref float w = ref System.Runtime.InteropServices.MemoryMarshal.GetReference(window);
        TV half = TOps.Splat(0.70710677f); // 1/sqrt(2)
        for (int q = from / 8; q < to / 8; q++)
        {
            // a[8q + t] = z[i0 + rev3(t) * m/8]; rev3 = 0, 4, 2, 6, 1, 5, 3, 7.
            int i0 = Unsafe.Add(ref rev, 8 * q);
            Load(ref x, xs, ref w, i0, out TV a0r, out TV a0i);
            Load(ref x, xs, ref w, i0 + 4 * eighth, out TV a1r, out TV a1i);
            Load(ref x, xs, ref w, i0 + 2 * eighth, out TV a2r, out TV a2i);
            Load(ref x, xs, ref w, i0 + 6 * eighth, out TV a3r, out TV a3i);
            Load(ref x, xs, ref w, i0 + 1 * eighth, out TV a4r, out TV a4i);
            Load(ref x, xs, ref w, i0 + 5 * eighth, out TV a5r, out TV a5i);
            Load(ref x, xs, ref w, i0 + 3 * eighth, out TV a6r, out TV a6i);
            Load(ref x, xs, ref w, i0 + 7 * eighth, out TV a7r, out TV a7i);

            Radix8.FirstStages<TV, TOps>(ref re, ref im, (nint)8 * q * l, half, a0r, a0i, a1r, a1i, a2r, a2i, a3r, a3i, a4r, a4i, a5r, a5i, a6r, a6i, a7r, a7i);
        }

        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        static void Load(ref float x, nint xs, ref float w, int i, out TV r, out TV im)
        {
            r = TOps.Mul(TOps.Load(ref Unsafe.Add(ref x, 2 * i * xs)), TOps.Splat(Unsafe.Add(ref w, 2 * i)));
            im = TOps.Mul(TOps.Load(ref Unsafe.Add(ref x, (2 * i + 1) * xs)), TOps.Splat(Unsafe.Add(ref w, 2 * i + 1)));
        }
    }

    /// <summary>One radix-2 stage of size s.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    internal static void Stage<TV, TOps>(FftPlan plan, int s, int m, ref float re, ref float im)
        where TV : struct
        where TOps : struct, IVectorOps<TV>
    {
        int l = TOps.Lanes, h = s / 2;
        ref float tc = ref Unsafe.Add(ref System.Runtime.InteropServices.MemoryMarshal.GetReference(plan.StageCos), h - 4);
        ref float ts = ref Unsafe.Add(ref System.Runtime.InteropServices.MemoryMarshal.GetReference(plan.StageSin), h - 4);
        for (int start = 0; start < m; start += s)
        {
            ref float r0 = ref Unsafe.Add(ref re, (nint)start * l);
            ref float i0 = ref Unsafe.Add(ref im, (nint)start * l);
            ref float r1 = ref Unsafe.Add(ref r0, (nint)h * l);
            ref float i1 = ref Unsafe.Add(ref i0, (nint)h * l);
            for (int j = 0; j < h; j++)
            {
                nint o = (nint)j * l;
                TV wr = TOps.Splat(Unsafe.Add(ref tc, j)), wi = TOps.Splat(Unsafe.Add(ref ts, j));
                TV ar = TOps.Load(ref Unsafe.Add(ref r0, o)), ai = TOps.Load(ref Unsafe.Add(ref i0, o));
                TV br = TOps.Load(ref Unsafe.Add(ref r1, o)), bi = TOps.Load(ref Unsafe.Add(ref i1, o));
                TV tr = TOps.NegMulAdd(bi, wi, TOps.Mul(br, wr));
                TV ti = TOps.MulAdd(bi, wr, TOps.Mul(br, wi));
                TOps.Store(TOps.Add(ar, tr), ref Unsafe.Add(ref r0, o));
                TOps.Store(TOps.Add(ai, ti), ref Unsafe.Add(ref i0, o));
                TOps.Store(TOps.Sub(ar, tr), ref Unsafe.Add(ref r1, o));
                TOps.Store(TOps.Sub(ai, ti), ref Unsafe.Add(ref i1, o));
            }
        }
    }

    /// <summary>
    /// Radix-2 stages of sizes s and 2s in one sweep, as a radix-4 butterfly: with W = W_2s, the four points j, j+h,
    /// j+2h, j+3h take W^2j, W^j and W^3j (three complex products instead of radix-2^2's four), half the loads and
    /// stores of two radix-2 passes.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    internal static void StagePair<TV, TOps>(FftPlan plan, int s, int m, ref float re, ref float im, int from = 0, int to = int.MaxValue)
        where TV : struct
        where TOps : struct, IVectorOps<TV>
    {
        to = Math.Min(to, m);
        int l = TOps.Lanes, h = s / 2;
        ref float tc1 = ref Unsafe.Add(ref System.Runtime.InteropServices.MemoryMarshal.GetReference(plan.StageCos), h - 4);
        ref float ts1 = ref Unsafe.Add(ref System.Runtime.InteropServices.MemoryMarshal.GetReference(plan.StageSin), h - 4);
        ref float tc2 = ref Unsafe.Add(ref System.Runtime.InteropServices.MemoryMarshal.GetReference(plan.StageCos), s - 4);
        ref float ts2 = ref Unsafe.Add(ref System.Runtime.InteropServices.MemoryMarshal.GetReference(plan.StageSin), s - 4);
        ref float tc3 = ref Unsafe.Add(ref System.Runtime.InteropServices.MemoryMarshal.GetReference(plan.TripleCos), h - 4);
        ref float ts3 = ref Unsafe.Add(ref System.Runtime.InteropServices.MemoryMarshal.GetReference(plan.TripleSin), h - 4);
        nint hl = (nint)h * l;
        for (int start = from; start < to; start += 2 * s)
        {
            ref float r0 = ref Unsafe.Add(ref re, (nint)start * l);
            ref float i0 = ref Unsafe.Add(ref im, (nint)start * l);
            for (int j = 0; j < h; j++)
            {
                nint o = (nint)j * l;
                TV w1r = TOps.Splat(Unsafe.Add(ref tc1, j)), w1i = TOps.Splat(Unsafe.Add(ref ts1, j));   // W^2j
                TV w2r = TOps.Splat(Unsafe.Add(ref tc2, j)), w2i = TOps.Splat(Unsafe.Add(ref ts2, j));   // W^j
                TV w3r = TOps.Splat(Unsafe.Add(ref tc3, j)), w3i = TOps.Splat(Unsafe.Add(ref ts3, j));   // W^3j
                ref float p0r = ref Unsafe.Add(ref r0, o), p0i = ref Unsafe.Add(ref i0, o);
                ref float p1r = ref Unsafe.Add(ref p0r, hl), p1i = ref Unsafe.Add(ref p0i, hl);
                ref float p2r = ref Unsafe.Add(ref p1r, hl), p2i = ref Unsafe.Add(ref p1i, hl);
                ref float p3r = ref Unsafe.Add(ref p2r, hl), p3i = ref Unsafe.Add(ref p2i, hl);

                TV a0r = TOps.Load(ref p0r), a0i = TOps.Load(ref p0i);
                TV a1r = TOps.Load(ref p1r), a1i = TOps.Load(ref p1i);
                TV a2r = TOps.Load(ref p2r), a2i = TOps.Load(ref p2i);
                TV a3r = TOps.Load(ref p3r), a3i = TOps.Load(ref p3i);

                TV t1r = TOps.NegMulAdd(a1i, w1i, TOps.Mul(a1r, w1r)), t1i = TOps.MulAdd(a1i, w1r, TOps.Mul(a1r, w1i));
                TV t2r = TOps.NegMulAdd(a2i, w2i, TOps.Mul(a2r, w2r)), t2i = TOps.MulAdd(a2i, w2r, TOps.Mul(a2r, w2i));
                TV t3r = TOps.NegMulAdd(a3i, w3i, TOps.Mul(a3r, w3r)), t3i = TOps.MulAdd(a3i, w3r, TOps.Mul(a3r, w3i));
                TV b0r = TOps.Add(a0r, t1r), b0i = TOps.Add(a0i, t1i);
                TV b1r = TOps.Sub(a0r, t1r), b1i = TOps.Sub(a0i, t1i);
                TV c0r = TOps.Add(t2r, t3r), c0i = TOps.Add(t2i, t3i);
                TV c1r = TOps.Sub(t2r, t3r), c1i = TOps.Sub(t2i, t3i);
                TOps.Store(TOps.Add(b0r, c0r), ref p0r);
                TOps.Store(TOps.Add(b0i, c0i), ref p0i);
                TOps.Store(TOps.Sub(b0r, c0r), ref p2r);
                TOps.Store(TOps.Sub(b0i, c0i), ref p2i);
                // -i * c1 = (c1i, -c1r)
                TOps.Store(TOps.Add(b1r, c1i), ref p1r);
                TOps.Store(TOps.Sub(b1i, c1r), ref p1i);
                TOps.Store(TOps.Sub(b1r, c1i), ref p3r);
                TOps.Store(TOps.Add(b1i, c1r), ref p3i);
            }
        }
    }

    /// <summary>
    /// X_k = (Z_k + conj Z_(M-k))/2 + W_N^k (Z_k - conj Z_(M-k))/(2i) for the kept bins, then
    /// 10*log10(gain*|X_k|^2 + 1e-12) (gain &gt; 0), written through a Lanes x Lanes tile transpose to channel rows. Where bins k and
    /// M-k are both kept they are computed together: with E, O the even and odd parts and W_N^(M-k) = -conj W_N^k,
    /// X_(M-k) = conj(E - W_N^k O), so the second bin reuses the loads and the product of the first.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    internal static void PowerDb<TV, TOps>(FftPlan plan, int m, ref float re, ref float im,
        ref float destination, nint destinationStride, int firstBin, int binCount, ref float tile, float powerGain, int validLanes)
        where TV : struct
        where TOps : struct, IVectorOps<TV>
    {
        int last = firstBin + binCount - 1;
        // 10*log10(g*p + 1e-12) = 10*log10(p + 1e-12/g) + 10*log10 g, with g = gain/4 (the two halves of X are computed
        // without their 1/2): eps/g starts the power's first FMA and 10*log10 g joins the log's constant term, one
        // operation less per bin than scaling p.
        double g = 0.25 * powerGain;
        float eps = (float)(1e-12 / g), c0 = (float)(FastLog.C0 + 10 * Math.Log10(g));
        // Bins lo..hi (symmetric about M/2) have their mirror kept too: k < M/2 pairs with M-k; the rest go alone.
        int lo = Math.Max(firstBin, m - last), hi = Math.Min(last, m - firstBin);
        if (lo >= m / 2)
        {
            Single<TV, TOps>(plan, m, ref re, ref im, ref destination, destinationStride, firstBin, firstBin, last, ref tile, eps, c0, validLanes);
            return;
        }
        Single<TV, TOps>(plan, m, ref re, ref im, ref destination, destinationStride, firstBin, firstBin, lo - 1, ref tile, eps, c0, validLanes);
        Paired<TV, TOps>(plan, m, ref re, ref im, ref destination, destinationStride, firstBin, lo, ref tile, eps, c0, validLanes);
        Single<TV, TOps>(plan, m, ref re, ref im, ref destination, destinationStride, firstBin, m / 2, m / 2, ref tile, eps, c0, validLanes);
        Single<TV, TOps>(plan, m, ref re, ref im, ref destination, destinationStride, firstBin, hi + 1, last, ref tile, eps, c0, validLanes);
    }

    /// <summary>Bins <paramref name="from"/>..<paramref name="to"/> one at a time (none when to &lt; from).</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void Single<TV, TOps>(FftPlan plan, int m, ref float re, ref float im, ref float destination, nint destinationStride,
        int firstBin, int from, int to, ref float tile, float epsilon, float logConstant, int validLanes)
        where TV : struct
        where TOps : struct, IVectorOps<TV>
    {
        int l = TOps.Lanes;
        ref float pc = ref System.Runtime.InteropServices.MemoryMarshal.GetReference(plan.CosSingle);
        ref float ps = ref System.Runtime.InteropServices.MemoryMarshal.GetReference(plan.SinSingle);
        TV eps = TOps.Splat(epsilon), c0 = TOps.Splat(logConstant); // see PowerDb
        int mask = m - 1;
        for (int b0 = from; b0 <= to; b0 += l)
        {
            int count = Math.Min(l, to + 1 - b0);
            for (int i = 0; i < count; i++)
            {
                int k = b0 + i;
                nint k1 = (nint)(k & mask) * l, k2 = (nint)((m - k) & mask) * l;
                TV zr = TOps.Load(ref Unsafe.Add(ref re, k1)), zi = TOps.Load(ref Unsafe.Add(ref im, k1));
                TV cr = TOps.Load(ref Unsafe.Add(ref re, k2)), ci = TOps.Load(ref Unsafe.Add(ref im, k2));
                TV er = TOps.Add(zr, cr), ei = TOps.Sub(zi, ci);   // 2 * even part
                TV or = TOps.Add(zi, ci), oi = TOps.Sub(cr, zr);   // 2 * odd part
                TV wr = TOps.Splat(Unsafe.Add(ref pc, k)), wi = TOps.Splat(Unsafe.Add(ref ps, k));
                TV ar = TOps.NegMulAdd(oi, wi, TOps.Mul(or, wr)), ai = TOps.MulAdd(oi, wr, TOps.Mul(or, wi));  // W O
                TV xr = TOps.Add(er, ar), xi = TOps.Add(ei, ai);
                TV p = TOps.MulAdd(xi, xi, TOps.MulAdd(xr, xr, eps));
                TOps.Store(FastLog.Db<TV, TOps>(p, c0), ref Unsafe.Add(ref tile, (nint)i * l));
            }
            WriteTile(ref tile, l, count, ref Unsafe.Add(ref destination, b0 - firstBin), destinationStride, validLanes);
        }
    }

    /// <summary>Bins lo..M/2-1 with their mirrors M-lo..M/2+1, a tile of each at a time.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void Paired<TV, TOps>(FftPlan plan, int m, ref float re, ref float im, ref float destination, nint destinationStride,
        int firstBin, int lo, ref float tile, float epsilon, float logConstant, int validLanes)
        where TV : struct
        where TOps : struct, IVectorOps<TV>
    {
        int l = TOps.Lanes;
        ref float pc = ref System.Runtime.InteropServices.MemoryMarshal.GetReference(plan.CosSingle);
        ref float ps = ref System.Runtime.InteropServices.MemoryMarshal.GetReference(plan.SinSingle);
        ref float mirror = ref Unsafe.Add(ref tile, (nint)l * l);
        TV eps = TOps.Splat(epsilon), c0 = TOps.Splat(logConstant); // see PowerDb
        int mask = m - 1;
        for (int b0 = lo; b0 < m / 2; b0 += l)
        {
            int count = Math.Min(l, m / 2 - b0);
            for (int i = 0; i < count; i++)
            {
                int k = b0 + i;
                nint k1 = (nint)(k & mask) * l, k2 = (nint)((m - k) & mask) * l;
                TV zr = TOps.Load(ref Unsafe.Add(ref re, k1)), zi = TOps.Load(ref Unsafe.Add(ref im, k1));
                TV cr = TOps.Load(ref Unsafe.Add(ref re, k2)), ci = TOps.Load(ref Unsafe.Add(ref im, k2));
                TV er = TOps.Add(zr, cr), ei = TOps.Sub(zi, ci);
                TV or = TOps.Add(zi, ci), oi = TOps.Sub(cr, zr);
                TV wr = TOps.Splat(Unsafe.Add(ref pc, k)), wi = TOps.Splat(Unsafe.Add(ref ps, k));
                TV ar = TOps.NegMulAdd(oi, wi, TOps.Mul(or, wr)), ai = TOps.MulAdd(oi, wr, TOps.Mul(or, wi));
                TV xr = TOps.Add(er, ar), xi = TOps.Add(ei, ai);    // X_k = E + W O
                TV yr = TOps.Sub(er, ar), yi = TOps.Sub(ei, ai);    // conj X_(M-k) = E - W O
                TV p = TOps.MulAdd(xi, xi, TOps.MulAdd(xr, xr, eps));
                TV q = TOps.MulAdd(yi, yi, TOps.MulAdd(yr, yr, eps));
                TOps.Store(FastLog.Db<TV, TOps>(p, c0), ref Unsafe.Add(ref tile, (nint)i * l));
                TOps.Store(FastLog.Db<TV, TOps>(q, c0), ref Unsafe.Add(ref mirror, (nint)(count - 1 - i) * l));
            }
            WriteTile(ref tile, l, count, ref Unsafe.Add(ref destination, b0 - firstBin), destinationStride, validLanes);
            WriteTile(ref mirror, l, count, ref Unsafe.Add(ref destination, m - b0 - count + 1 - firstBin), destinationStride, validLanes);
        }
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void WriteTile(ref float tile, int lanes, int count, ref float destination, nint destinationStride, int validLanes)
    {
        if (validLanes == lanes)
            Transpose.Tile(ref tile, lanes, count, ref destination, (int)destinationStride);
        else
            Transpose.Scalar(ref tile, lanes, validLanes, count, ref destination, (int)destinationStride);
    }
}
