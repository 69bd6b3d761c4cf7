using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;

namespace Focus.Analyzer.Spectral.Kernels;

/// <summary>
/// Square tile transposes between lane-major (a row per time sample or bin, a lane per channel) and
/// channel-major rows. In-register shuffles where the hardware has them, scalar otherwise.
/// </summary>
internal static class Transpose
{
    /// <summary>
    /// Writes <paramref name="rows"/> rows of <paramref name="lanes"/> lanes each (row r at <c>source + r*lanes</c>)
    /// as <paramref name="lanes"/> runs of <paramref name="rows"/> values (lane l at <c>destination + l*destinationStride</c>).
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void Tile(ref float source, int lanes, int rows, ref float destination, int destinationStride)
    {
        if (lanes == 16 && rows == 16 && Avx512F.IsSupported)
        {
            Tile16x16(ref source, 16, ref destination, destinationStride);
            return;
        }
        if (lanes == 8 && rows == 8 && Avx.IsSupported)
        {
            Tile8x8(ref source, 8, ref destination, destinationStride);
            return;
        }
        Scalar(ref source, lanes, lanes, rows, ref destination, destinationStride);
    }

    /// <summary>As <see cref="Tile"/> for the first <paramref name="validLanes"/> lanes only, element by element.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static void Scalar(ref float source, int lanes, int validLanes, int rows, ref float destination, int destinationStride)
    {
        for (int l = 0; l < validLanes; l++)
        {
            ref float d = ref Unsafe.Add(ref destination, (nint)l * destinationStride);
            for (int r = 0; r < rows; r++)
                Unsafe.Add(ref d, r) = Unsafe.Add(ref source, r * lanes + l);
        }
    }

    /// <summary>16x16 transpose: row r (16 floats at source + r*sourceStride) becomes column r.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void Tile16x16(ref float source, nint sourceStride, ref float destination, nint destinationStride)
    {
        Vector512<float> r0 = Vector512.LoadUnsafe(ref source);
        Vector512<float> r1 = Vector512.LoadUnsafe(ref source, (nuint)(1 * sourceStride));
        Vector512<float> r2 = Vector512.LoadUnsafe(ref source, (nuint)(2 * sourceStride));
        Vector512<float> r3 = Vector512.LoadUnsafe(ref source, (nuint)(3 * sourceStride));
        Vector512<float> r4 = Vector512.LoadUnsafe(ref source, (nuint)(4 * sourceStride));
        Vector512<float> r5 = Vector512.LoadUnsafe(ref source, (nuint)(5 * sourceStride));
        Vector512<float> r6 = Vector512.LoadUnsafe(ref source, (nuint)(6 * sourceStride));
        Vector512<float> r7 = Vector512.LoadUnsafe(ref source, (nuint)(7 * sourceStride));
        Vector512<float> r8 = Vector512.LoadUnsafe(ref source, (nuint)(8 * sourceStride));
        Vector512<float> r9 = Vector512.LoadUnsafe(ref source, (nuint)(9 * sourceStride));
        Vector512<float> ra = Vector512.LoadUnsafe(ref source, (nuint)(10 * sourceStride));
        Vector512<float> rb = Vector512.LoadUnsafe(ref source, (nuint)(11 * sourceStride));
        Vector512<float> rc = Vector512.LoadUnsafe(ref source, (nuint)(12 * sourceStride));
        Vector512<float> rd = Vector512.LoadUnsafe(ref source, (nuint)(13 * sourceStride));
        Vector512<float> re = Vector512.LoadUnsafe(ref source, (nuint)(14 * sourceStride));
        Vector512<float> rf = Vector512.LoadUnsafe(ref source, (nuint)(15 * sourceStride));

        // 1: interleave 32-bit elements of row pairs.
        Vector512<float> t0 = Avx512F.UnpackLow(r0, r1), t1 = Avx512F.UnpackHigh(r0, r1);
        Vector512<float> t2 = Avx512F.UnpackLow(r2, r3), t3 = Avx512F.UnpackHigh(r2, r3);
        Vector512<float> t4 = Avx512F.UnpackLow(r4, r5), t5 = Avx512F.UnpackHigh(r4, r5);
        Vector512<float> t6 = Avx512F.UnpackLow(r6, r7), t7 = Avx512F.UnpackHigh(r6, r7);
        Vector512<float> t8 = Avx512F.UnpackLow(r8, r9), t9 = Avx512F.UnpackHigh(r8, r9);
        Vector512<float> ta = Avx512F.UnpackLow(ra, rb), tb = Avx512F.UnpackHigh(ra, rb);
        Vector512<float> tc = Avx512F.UnpackLow(rc, rd), td = Avx512F.UnpackHigh(rc, rd);
        Vector512<float> te = Avx512F.UnpackLow(re, rf), tf = Avx512F.UnpackHigh(re, rf);

        // 2: interleave 64-bit pairs.
        r0 = Avx512F.UnpackLow(t0.AsDouble(), t2.AsDouble()).AsSingle(); r1 = Avx512F.UnpackHigh(t0.AsDouble(), t2.AsDouble()).AsSingle();
        r2 = Avx512F.UnpackLow(t1.AsDouble(), t3.AsDouble()).AsSingle(); r3 = Avx512F.UnpackHigh(t1.AsDouble(), t3.AsDouble()).AsSingle();
        r4 = Avx512F.UnpackLow(t4.AsDouble(), t6.AsDouble()).AsSingle(); r5 = Avx512F.UnpackHigh(t4.AsDouble(), t6.AsDouble()).AsSingle();
        r6 = Avx512F.UnpackLow(t5.AsDouble(), t7.AsDouble()).AsSingle(); r7 = Avx512F.UnpackHigh(t5.AsDouble(), t7.AsDouble()).AsSingle();
        r8 = Avx512F.UnpackLow(t8.AsDouble(), ta.AsDouble()).AsSingle(); r9 = Avx512F.UnpackHigh(t8.AsDouble(), ta.AsDouble()).AsSingle();
        ra = Avx512F.UnpackLow(t9.AsDouble(), tb.AsDouble()).AsSingle(); rb = Avx512F.UnpackHigh(t9.AsDouble(), tb.AsDouble()).AsSingle();
        rc = Avx512F.UnpackLow(tc.AsDouble(), te.AsDouble()).AsSingle(); rd = Avx512F.UnpackHigh(tc.AsDouble(), te.AsDouble()).AsSingle();
        re = Avx512F.UnpackLow(td.AsDouble(), tf.AsDouble()).AsSingle(); rf = Avx512F.UnpackHigh(td.AsDouble(), tf.AsDouble()).AsSingle();

        // 3: gather 128-bit lanes of row groups 0-3 with 4-7, 8-11 with 12-15.
        t0 = Avx512F.Shuffle4x128(r0, r4, 0x88); t1 = Avx512F.Shuffle4x128(r1, r5, 0x88);
        t2 = Avx512F.Shuffle4x128(r2, r6, 0x88); t3 = Avx512F.Shuffle4x128(r3, r7, 0x88);
        t4 = Avx512F.Shuffle4x128(r0, r4, 0xdd); t5 = Avx512F.Shuffle4x128(r1, r5, 0xdd);
        t6 = Avx512F.Shuffle4x128(r2, r6, 0xdd); t7 = Avx512F.Shuffle4x128(r3, r7, 0xdd);
        t8 = Avx512F.Shuffle4x128(r8, rc, 0x88); t9 = Avx512F.Shuffle4x128(r9, rd, 0x88);
        ta = Avx512F.Shuffle4x128(ra, re, 0x88); tb = Avx512F.Shuffle4x128(rb, rf, 0x88);
        tc = Avx512F.Shuffle4x128(r8, rc, 0xdd); td = Avx512F.Shuffle4x128(r9, rd, 0xdd);
        te = Avx512F.Shuffle4x128(ra, re, 0xdd); tf = Avx512F.Shuffle4x128(rb, rf, 0xdd);

        // 4: combine the two halves.
        Avx512F.Shuffle4x128(t0, t8, 0x88).StoreUnsafe(ref destination);
        Avx512F.Shuffle4x128(t1, t9, 0x88).StoreUnsafe(ref destination, (nuint)(1 * destinationStride));
        Avx512F.Shuffle4x128(t2, ta, 0x88).StoreUnsafe(ref destination, (nuint)(2 * destinationStride));
        Avx512F.Shuffle4x128(t3, tb, 0x88).StoreUnsafe(ref destination, (nuint)(3 * destinationStride));
        Avx512F.Shuffle4x128(t4, tc, 0x88).StoreUnsafe(ref destination, (nuint)(4 * destinationStride));
        Avx512F.Shuffle4x128(t5, td, 0x88).StoreUnsafe(ref destination, (nuint)(5 * destinationStride));
        Avx512F.Shuffle4x128(t6, te, 0x88).StoreUnsafe(ref destination, (nuint)(6 * destinationStride));
        Avx512F.Shuffle4x128(t7, tf, 0x88).StoreUnsafe(ref destination, (nuint)(7 * destinationStride));
        Avx512F.Shuffle4x128(t0, t8, 0xdd).StoreUnsafe(ref destination, (nuint)(8 * destinationStride));
        Avx512F.Shuffle4x128(t1, t9, 0xdd).StoreUnsafe(ref destination, (nuint)(9 * destinationStride));
        Avx512F.Shuffle4x128(t2, ta, 0xdd).StoreUnsafe(ref destination, (nuint)(10 * destinationStride));
        Avx512F.Shuffle4x128(t3, tb, 0xdd).StoreUnsafe(ref destination, (nuint)(11 * destinationStride));
        Avx512F.Shuffle4x128(t4, tc, 0xdd).StoreUnsafe(ref destination, (nuint)(12 * destinationStride));
        Avx512F.Shuffle4x128(t5, td, 0xdd).StoreUnsafe(ref destination, (nuint)(13 * destinationStride));
        Avx512F.Shuffle4x128(t6, te, 0xdd).StoreUnsafe(ref destination, (nuint)(14 * destinationStride));
        Avx512F.Shuffle4x128(t7, tf, 0xdd).StoreUnsafe(ref destination, (nuint)(15 * destinationStride));
    }

    /// <summary>8x8 transpose: row r (8 floats at source + r*sourceStride) becomes column r.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void Tile8x8(ref float source, nint sourceStride, ref float destination, nint destinationStride)
    {
        Vector256<float> r0 = Vector256.LoadUnsafe(ref source);
        Vector256<float> r1 = Vector256.LoadUnsafe(ref source, (nuint)(1 * sourceStride));
        Vector256<float> r2 = Vector256.LoadUnsafe(ref source, (nuint)(2 * sourceStride));
        Vector256<float> r3 = Vector256.LoadUnsafe(ref source, (nuint)(3 * sourceStride));
        Vector256<float> r4 = Vector256.LoadUnsafe(ref source, (nuint)(4 * sourceStride));
        Vector256<float> r5 = Vector256.LoadUnsafe(ref source, (nuint)(5 * sourceStride));
        Vector256<float> r6 = Vector256.LoadUnsafe(ref source, (nuint)(6 * sourceStride));
        Vector256<float> r7 = Vector256.LoadUnsafe(ref source, (nuint)(7 * sourceStride));
        Vector256<float> t0 = Avx.UnpackLow(r0, r1), t1 = Avx.UnpackHigh(r0, r1);
        Vector256<float> t2 = Avx.UnpackLow(r2, r3), t3 = Avx.UnpackHigh(r2, r3);
        Vector256<float> t4 = Avx.UnpackLow(r4, r5), t5 = Avx.UnpackHigh(r4, r5);
        Vector256<float> t6 = Avx.UnpackLow(r6, r7), t7 = Avx.UnpackHigh(r6, r7);
        Vector256<float> u0 = Avx.Shuffle(t0, t2, 0x44), u1 = Avx.Shuffle(t0, t2, 0xEE);
        Vector256<float> u2 = Avx.Shuffle(t1, t3, 0x44), u3 = Avx.Shuffle(t1, t3, 0xEE);
        Vector256<float> u4 = Avx.Shuffle(t4, t6, 0x44), u5 = Avx.Shuffle(t4, t6, 0xEE);
        Vector256<float> u6 = Avx.Shuffle(t5, t7, 0x44), u7 = Avx.Shuffle(t5, t7, 0xEE);
        Avx.Permute2x128(u0, u4, 0x20).StoreUnsafe(ref destination);
        Avx.Permute2x128(u1, u5, 0x20).StoreUnsafe(ref destination, (nuint)(1 * destinationStride));
        Avx.Permute2x128(u2, u6, 0x20).StoreUnsafe(ref destination, (nuint)(2 * destinationStride));
        Avx.Permute2x128(u3, u7, 0x20).StoreUnsafe(ref destination, (nuint)(3 * destinationStride));
        Avx.Permute2x128(u0, u4, 0x31).StoreUnsafe(ref destination, (nuint)(4 * destinationStride));
        Avx.Permute2x128(u1, u5, 0x31).StoreUnsafe(ref destination, (nuint)(5 * destinationStride));
        Avx.Permute2x128(u2, u6, 0x31).StoreUnsafe(ref destination, (nuint)(6 * destinationStride));
        Avx.Permute2x128(u3, u7, 0x31).StoreUnsafe(ref destination, (nuint)(7 * destinationStride));
    }
}
