using System.Runtime.CompilerServices;

namespace Focus.Analyzer.Spectral.Kernels;

/// <summary>
/// Pinned float arrays used from a 64-byte boundary: a 512-bit load or store of an unaligned row straddles two
/// cache lines (two accesses instead of one), and non-temporal stores need the alignment outright.
/// </summary>
internal static class AlignedArray
{
    /// <summary>A pinned array of at least <paramref name="length"/> + 16 floats; element <paramref name="offset"/> is 64-byte aligned.</summary>
    public static unsafe float[] Allocate(long length, out int offset)
    {
        float[] array = GC.AllocateUninitializedArray<float>(checked((int)(length + 16)), pinned: true);
        nint address = (nint)Unsafe.AsPointer(ref array[0]);
        offset = (int)((64 - (address & 63)) & 63) / sizeof(float);
        return array;
    }
}
