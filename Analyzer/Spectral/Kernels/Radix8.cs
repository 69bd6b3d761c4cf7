using System.Runtime.CompilerServices;

namespace Focus.Analyzer.Spectral.Kernels;

/// <summary>
/// The radix-8 butterfly of the first three stages (sizes 2, 4, 8: constant twiddles), shared by the first stages
/// that load a frame block (<see cref="BatchedRealFft"/>) and those that derive overlapping frames (<see cref="SlidingFrames"/>).
/// </summary>
internal static class Radix8
{
    /// <summary>
    /// The size-2, 4 and 8 stages of eight points a0..a7 (windowed z values in bit-reversed order: a_t = z[i0 + rev3(t) m/8]),
    /// stored at points o/Lanes..o/Lanes+7. <paramref name="half"/> is 1/sqrt(2) in every lane.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void FirstStages<TV, TOps>(ref float re, ref float im, nint o, TV half,
        TV a0r, TV a0i, TV a1r, TV a1i, TV a2r, TV a2i, TV a3r, TV a3i, TV a4r, TV a4i, TV a5r, TV a5i, TV a6r, TV a6i, TV a7r, TV a7i)
        where TV : struct
        where TOps : struct, IVectorOps<TV>
    {
        int l = TOps.Lanes;
        // Sizes 2 and 4 on each half.
        Four(a0r, a0i, a1r, a1i, a2r, a2i, a3r, a3i, out TV c0r, out TV c0i, out TV c1r, out TV c1i, out TV c2r, out TV c2i, out TV c3r, out TV c3i);
        Four(a4r, a4i, a5r, a5i, a6r, a6i, a7r, a7i, out TV d0r, out TV d0i, out TV d1r, out TV d1i, out TV d2r, out TV d2i, out TV d3r, out TV d3i);

        // Size 8: out[j] = c_j + W8^j d_j, out[j+4] = c_j - W8^j d_j.
        TV e1r = TOps.Mul(TOps.Add(d1r, d1i), half), e1i = TOps.Mul(TOps.Sub(d1i, d1r), half);   // (1-i)/sqrt2 * d1
        TV e3r = TOps.Mul(TOps.Sub(d3i, d3r), half), e3i = TOps.Mul(TOps.Add(d3r, d3i), half);   // -(1+i)/sqrt2 * d3 (imag negated below)
        TOps.Store(TOps.Add(c0r, d0r), ref Unsafe.Add(ref re, o));
        TOps.Store(TOps.Add(c0i, d0i), ref Unsafe.Add(ref im, o));
        TOps.Store(TOps.Add(c1r, e1r), ref Unsafe.Add(ref re, o + l));
        TOps.Store(TOps.Add(c1i, e1i), ref Unsafe.Add(ref im, o + l));
        TOps.Store(TOps.Add(c2r, d2i), ref Unsafe.Add(ref re, o + 2 * l));       // -i d2 = (d2i, -d2r)
        TOps.Store(TOps.Sub(c2i, d2r), ref Unsafe.Add(ref im, o + 2 * l));
        TOps.Store(TOps.Add(c3r, e3r), ref Unsafe.Add(ref re, o + 3 * l));
        TOps.Store(TOps.Sub(c3i, e3i), ref Unsafe.Add(ref im, o + 3 * l));
        TOps.Store(TOps.Sub(c0r, d0r), ref Unsafe.Add(ref re, o + 4 * l));
        TOps.Store(TOps.Sub(c0i, d0i), ref Unsafe.Add(ref im, o + 4 * l));
        TOps.Store(TOps.Sub(c1r, e1r), ref Unsafe.Add(ref re, o + 5 * l));
        TOps.Store(TOps.Sub(c1i, e1i), ref Unsafe.Add(ref im, o + 5 * l));
        TOps.Store(TOps.Sub(c2r, d2i), ref Unsafe.Add(ref re, o + 6 * l));
        TOps.Store(TOps.Add(c2i, d2r), ref Unsafe.Add(ref im, o + 6 * l));
        TOps.Store(TOps.Sub(c3r, e3r), ref Unsafe.Add(ref re, o + 7 * l));
        TOps.Store(TOps.Add(c3i, e3i), ref Unsafe.Add(ref im, o + 7 * l));

        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        static void Four(TV a0r, TV a0i, TV a1r, TV a1i, TV a2r, TV a2i, TV a3r, TV a3i,
            out TV c0r, out TV c0i, out TV c1r, out TV c1i, out TV c2r, out TV c2i, out TV c3r, out TV c3i)
        {
            TV b0r = TOps.Add(a0r, a1r), b0i = TOps.Add(a0i, a1i);
            TV b1r = TOps.Sub(a0r, a1r), b1i = TOps.Sub(a0i, a1i);
            TV b2r = TOps.Add(a2r, a3r), b2i = TOps.Add(a2i, a3i);
            TV b3r = TOps.Sub(a2r, a3r), b3i = TOps.Sub(a2i, a3i);
            c0r = TOps.Add(b0r, b2r); c0i = TOps.Add(b0i, b2i);
            c1r = TOps.Add(b1r, b3i); c1i = TOps.Sub(b1i, b3r);
            c2r = TOps.Sub(b0r, b2r); c2i = TOps.Sub(b0i, b2i);
            c3r = TOps.Sub(b1r, b3i); c3i = TOps.Add(b1i, b3r);
        }
    }
}
