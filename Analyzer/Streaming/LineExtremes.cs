using System.Numerics.Tensors;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;

namespace Focus.Analyzer.Streaming;

/// <summary>
/// A line's values copied into its message and their max/min found in the same pass (one read of the line instead of
/// three). The extremes are exactly <see cref="TensorPrimitives.Max{T}(ReadOnlySpan{T})"/>'s and <c>Min</c>'s: the
/// vector Max/Min follow IEEE 754:2019 as those do (+0 above −0, NaN wins), and a line holding a NaN is left to
/// <see cref="TensorPrimitives"/> itself, so even its NaN is the same bits.
/// </summary>
internal static class LineExtremes
{
    /// <summary>Copies <paramref name="values"/> (at least one) to <paramref name="destination"/>; returns their max and min.</summary>
    // Fully optimised from the first call: a playback spends its first seconds in this loop, too short for tiering.
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static (float Max, float Min) Copy(ReadOnlySpan<float> values, Span<float> destination)
    {
        ArgumentOutOfRangeException.ThrowIfZero(values.Length);
        if (destination.Length < values.Length) throw new ArgumentException("destination is shorter than the line", nameof(destination));
        float max, min;
        if (Vector256.IsHardwareAccelerated && values.Length >= Vector256<float>.Count)
            (max, min) = CopyVectors(values, destination);
        else
            (max, min) = CopyScalars(values, destination);
        return float.IsNaN(max) || float.IsNaN(min) ? (TensorPrimitives.Max(values), TensorPrimitives.Min(values)) : (max, min);
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static (float, float) CopyVectors(ReadOnlySpan<float> values, Span<float> destination)
    {
        ref var source = ref MemoryMarshal.GetReference(values);
        ref var target = ref MemoryMarshal.GetReference(destination);
        var width = Vector256<float>.Count;
        var last = values.Length - width;
        var max = Vector256.LoadUnsafe(ref source);
        var min = max;
        for (var i = 0; i < last; i += width)
        {
            var v = Vector256.LoadUnsafe(ref source, (nuint)i);
            v.StoreUnsafe(ref target, (nuint)i);
            max = Vector256.Max(max, v);
            min = Vector256.Min(min, v);
        }
        // The last vector may overlap the loop's: copying or comparing a value twice changes nothing.
        var tail = Vector256.LoadUnsafe(ref source, (nuint)last);
        tail.StoreUnsafe(ref target, (nuint)last);
        max = Vector256.Max(max, tail);
        min = Vector256.Min(min, tail);
        var max4 = Vector128.Max(max.GetLower(), max.GetUpper());
        var min4 = Vector128.Min(min.GetLower(), min.GetUpper());
        return (Math.Max(Math.Max(max4[0], max4[1]), Math.Max(max4[2], max4[3])),
            Math.Min(Math.Min(min4[0], min4[1]), Math.Min(min4[2], min4[3])));
    }

    private static (float, float) CopyScalars(ReadOnlySpan<float> values, Span<float> destination)
    {
        values.CopyTo(destination);
        float max = values[0], min = values[0];
        foreach (var v in values[1..])
        {
            max = Math.Max(max, v);
            min = Math.Min(min, v);
        }
        return (max, min);
    }
}
