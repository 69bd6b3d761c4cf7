using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;

namespace Focus.Analyzer.Spectral.Kernels;

/// <summary>
/// Copies a run of floats to memory that will not be read again soon (a large spectrogram's output) with
/// non-temporal stores: whole cache lines go straight to memory instead of being read first (a normal store
/// reads each line it misses, so writing 244 MB moved 488 MB) and do not evict the working set. The aligned
/// middle uses the widest non-temporal store <paramref name="maxWidth"/> allows; the partial lines at either end
/// take normal stores (a neighbouring run shares them). Call <see cref="Fence"/> before others read the
/// destination: non-temporal stores are weakly ordered.
/// </summary>
internal static class StreamingStore
{
    /// <summary>
    /// Both runs must not move while this runs (pinned, fixed or native memory): it works on their addresses, and
    /// the aligned stores fault on an address that is not a multiple of the vector size.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static unsafe void Copy(ref float sourceStart, ref float destinationStart, int count, SimdWidth maxWidth)
    {
        float* source = (float*)Unsafe.AsPointer(ref sourceStart), destination = (float*)Unsafe.AsPointer(ref destinationStart);
        int width = maxWidth >= SimdWidth.Vector512 && Avx512F.IsSupported ? 16
            : maxWidth >= SimdWidth.Vector256 && Avx.IsSupported ? 8
            : maxWidth >= SimdWidth.Vector128 && Sse.IsSupported ? 4 : 0;
        if (width == 0)
        {
            new ReadOnlySpan<float>(source, count).CopyTo(new Span<float>(destination, count));
            return;
        }
        // Floats up to the first 64-byte line boundary, then whole lines, then the rest.
        int head = Math.Min(count, (int)((64 - ((nint)destination & 63)) & 63) / sizeof(float));
        int i = 0;
        for (; i < head; i++) destination[i] = source[i];
        int end = head + (count - head) / 16 * 16;
        if (width == 16)
            for (; i < end; i += 16)
                Avx512F.StoreAlignedNonTemporal(destination + i, Vector512.Load(source + i));
        else if (width == 8)
            for (; i < end; i += 16)
            {
                Avx.StoreAlignedNonTemporal(destination + i, Vector256.Load(source + i));
                Avx.StoreAlignedNonTemporal(destination + i + 8, Vector256.Load(source + i + 8));
            }
        else
            for (; i < end; i += 16)
            {
                Sse.StoreAlignedNonTemporal(destination + i, Vector128.Load(source + i));
                Sse.StoreAlignedNonTemporal(destination + i + 4, Vector128.Load(source + i + 4));
                Sse.StoreAlignedNonTemporal(destination + i + 8, Vector128.Load(source + i + 8));
                Sse.StoreAlignedNonTemporal(destination + i + 12, Vector128.Load(source + i + 12));
            }
        for (; i < count; i++) destination[i] = source[i];
    }

    /// <summary>Orders the streaming stores before any later store (e.g. the signal that the output is ready).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void Fence()
    {
        if (Sse.IsSupported) Sse.StoreFence();
        else Interlocked.MemoryBarrier();
    }
}
