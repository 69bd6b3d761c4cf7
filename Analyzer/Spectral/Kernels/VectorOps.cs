using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.Arm;
using System.Runtime.Intrinsics.X86;

namespace Focus.Analyzer.Spectral.Kernels;

/// <summary>
/// The math of the batched FFT stated once per vector width (TensorPrimitives' operator pattern):
/// every lane is an independent channel, so no operation ever crosses lanes. Implementations are
/// structs, so generic code over them is specialised and inlined by the JIT.
/// All widths run the same operation sequence per lane (FMA where the hardware has it), so a channel's
/// result does not depend on which width processed it.
/// </summary>
internal interface IVectorOps<TV> where TV : struct
{
    static abstract int Lanes { get; }
    static abstract TV Load(ref float source);
    static abstract void Store(TV value, ref float destination);
    static abstract TV Splat(float value);
    static abstract TV Add(TV a, TV b);
    static abstract TV Sub(TV a, TV b);
    static abstract TV Mul(TV a, TV b);
    /// <summary>a*b + c.</summary>
    static abstract TV MulAdd(TV a, TV b, TV c);
    /// <summary>c - a*b.</summary>
    static abstract TV NegMulAdd(TV a, TV b, TV c);
    /// <summary>
    /// For normal p &gt; 0: <c>p = 2^e * m</c> with m in [2/3, 4/3) (bit operations only, exact); returns m, and e as a
    /// float. The one width-specific step of <see cref="FastLog.Db{TV, TOps}"/>.
    /// </summary>
    static abstract TV Decompose(TV p, out TV exponent);
}

/// <summary>
/// The branch-free 10*log10 of the power sweep, written once for every width: p = 2^e * m, m in [2/3, 4/3), and
/// 10*log10(m) = P5(m), a minimax (Lawson) fit in m itself, so the result is six FMAs after the split:
/// 10*log10(p) = e * 10*log10(2) + P5(m). Max error 4.3e-5 dB over 1e-12..1e8 evaluated in float (the yardstick's
/// c/db.h uses degree 7 for 7e-6 dB; the agreement budget is 0.01 dB). An earlier form, f * P4(f) with f = m - 1
/// scaled by 10*log10(e) afterwards, had the same error and two operations more per bin.
/// </summary>
internal static class FastLog
{
    public const int TwoThirdsBits = 0x3f2aaaab;
    public const int MantissaMask = 0x007fffff;
    public const float C5 = 1.0257861614227295f, C4 = -6.3482794761657715f, C3 = 16.572080612182617f,
        C2 = -24.050138473510742f, C1 = 22.991365432739258f, C0 = -10.190848350524902f;
    public const float TenLog10Two = 3.010299957f;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static TV Db<TV, TOps>(TV p)
        where TV : struct
        where TOps : struct, IVectorOps<TV> => Db<TV, TOps>(p, TOps.Splat(C0));

    /// <summary>10*log10(p) + <paramref name="c0"/> - C0: a constant dB offset (a gain) folded into the constant term.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static TV Db<TV, TOps>(TV p, TV c0)
        where TV : struct
        where TOps : struct, IVectorOps<TV>
    {
        TV m = TOps.Decompose(p, out TV e);
        TV q = TOps.MulAdd(TOps.Splat(C5), m, TOps.Splat(C4));
        q = TOps.MulAdd(q, m, TOps.Splat(C3));
        q = TOps.MulAdd(q, m, TOps.Splat(C2));
        q = TOps.MulAdd(q, m, TOps.Splat(C1));
        q = TOps.MulAdd(q, m, c0);
        return TOps.MulAdd(e, TOps.Splat(TenLog10Two), q);
    }

    /// <summary>One value (tests, scalar tails): the same operations as every vector width.</summary>
    public static float Db(float p) => Db<float, ScalarOps>(p);
}

internal readonly struct ScalarOps : IVectorOps<float>
{
    public static int Lanes => 1;
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static float Load(ref float source) => source;
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static void Store(float value, ref float destination) => destination = value;
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static float Splat(float value) => value;
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static float Add(float a, float b) => a + b;
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static float Sub(float a, float b) => a - b;
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static float Mul(float a, float b) => a * b;

    // FMA exactly when the vector paths fuse, so that every width gives the same bits per lane.
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static float MulAdd(float a, float b, float c) =>
        Fma.IsSupported || AdvSimd.IsSupported ? MathF.FusedMultiplyAdd(a, b, c) : a * b + c;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static float NegMulAdd(float a, float b, float c) =>
        Fma.IsSupported || AdvSimd.IsSupported ? MathF.FusedMultiplyAdd(-a, b, c) : c - a * b;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static float Decompose(float p, out float exponent)
    {
        int t = BitConverter.SingleToInt32Bits(p) - FastLog.TwoThirdsBits;
        exponent = t >> 23;
        return BitConverter.Int32BitsToSingle((t & FastLog.MantissaMask) + FastLog.TwoThirdsBits);
    }
}

internal readonly struct V128Ops : IVectorOps<Vector128<float>>
{
    public static int Lanes => 4;
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static Vector128<float> Load(ref float source) => Vector128.LoadUnsafe(ref source);
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static void Store(Vector128<float> value, ref float destination) => value.StoreUnsafe(ref destination);
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static Vector128<float> Splat(float value) => Vector128.Create(value);
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static Vector128<float> Add(Vector128<float> a, Vector128<float> b) => a + b;
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static Vector128<float> Sub(Vector128<float> a, Vector128<float> b) => a - b;
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static Vector128<float> Mul(Vector128<float> a, Vector128<float> b) => a * b;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector128<float> MulAdd(Vector128<float> a, Vector128<float> b, Vector128<float> c) =>
        Fma.IsSupported ? Fma.MultiplyAdd(a, b, c) : Vector128.MultiplyAddEstimate(a, b, c);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector128<float> NegMulAdd(Vector128<float> a, Vector128<float> b, Vector128<float> c) =>
        Fma.IsSupported ? Fma.MultiplyAddNegated(a, b, c) : Vector128.MultiplyAddEstimate(-a, b, c);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector128<float> Decompose(Vector128<float> p, out Vector128<float> exponent)
    {
        Vector128<int> t = p.AsInt32() - Vector128.Create(FastLog.TwoThirdsBits);
        exponent = Vector128.ConvertToSingle(Vector128.ShiftRightArithmetic(t, 23));
        return ((t & Vector128.Create(FastLog.MantissaMask)) + Vector128.Create(FastLog.TwoThirdsBits)).AsSingle();
    }
}

internal readonly struct V256Ops : IVectorOps<Vector256<float>>
{
    public static int Lanes => 8;
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static Vector256<float> Load(ref float source) => Vector256.LoadUnsafe(ref source);
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static void Store(Vector256<float> value, ref float destination) => value.StoreUnsafe(ref destination);
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static Vector256<float> Splat(float value) => Vector256.Create(value);
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static Vector256<float> Add(Vector256<float> a, Vector256<float> b) => a + b;
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static Vector256<float> Sub(Vector256<float> a, Vector256<float> b) => a - b;
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static Vector256<float> Mul(Vector256<float> a, Vector256<float> b) => a * b;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector256<float> MulAdd(Vector256<float> a, Vector256<float> b, Vector256<float> c) =>
        Fma.IsSupported ? Fma.MultiplyAdd(a, b, c) : Vector256.MultiplyAddEstimate(a, b, c);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector256<float> NegMulAdd(Vector256<float> a, Vector256<float> b, Vector256<float> c) =>
        Fma.IsSupported ? Fma.MultiplyAddNegated(a, b, c) : Vector256.MultiplyAddEstimate(-a, b, c);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector256<float> Decompose(Vector256<float> p, out Vector256<float> exponent)
    {
        Vector256<int> t = p.AsInt32() - Vector256.Create(FastLog.TwoThirdsBits);
        exponent = Vector256.ConvertToSingle(Vector256.ShiftRightArithmetic(t, 23));
        return ((t & Vector256.Create(FastLog.MantissaMask)) + Vector256.Create(FastLog.TwoThirdsBits)).AsSingle();
    }
}

internal readonly struct V512Ops : IVectorOps<Vector512<float>>
{
    public static int Lanes => 16;
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static Vector512<float> Load(ref float source) => Vector512.LoadUnsafe(ref source);
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static void Store(Vector512<float> value, ref float destination) => value.StoreUnsafe(ref destination);
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static Vector512<float> Splat(float value) => Vector512.Create(value);
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static Vector512<float> Add(Vector512<float> a, Vector512<float> b) => a + b;
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static Vector512<float> Sub(Vector512<float> a, Vector512<float> b) => a - b;
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static Vector512<float> Mul(Vector512<float> a, Vector512<float> b) => a * b;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector512<float> MulAdd(Vector512<float> a, Vector512<float> b, Vector512<float> c) =>
        Avx512F.IsSupported ? Avx512F.FusedMultiplyAdd(a, b, c) : Vector512.MultiplyAddEstimate(a, b, c);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector512<float> NegMulAdd(Vector512<float> a, Vector512<float> b, Vector512<float> c) =>
        Avx512F.IsSupported ? Avx512F.FusedMultiplyAddNegated(a, b, c) : Vector512.MultiplyAddEstimate(-a, b, c);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector512<float> Decompose(Vector512<float> p, out Vector512<float> exponent)
    {
        Vector512<int> t = p.AsInt32() - Vector512.Create(FastLog.TwoThirdsBits);
        exponent = Vector512.ConvertToSingle(Vector512.ShiftRightArithmetic(t, 23));
        return ((t & Vector512.Create(FastLog.MantissaMask)) + Vector512.Create(FastLog.TwoThirdsBits)).AsSingle();
    }
}
