using System.Runtime.InteropServices;
using Focus.Analyzer.Spectral;
using Focus.Analyzer.Spectral.Kernels;

namespace Focus.UnitTests.Spectral;

public class StreamingStoreTests
{
    public static readonly TheoryData<SimdWidth> Widths = new() { SimdWidth.Scalar, SimdWidth.Vector128, SimdWidth.Vector256, SimdWidth.Vector512 };

    /// <summary>
    /// Every destination alignment (the head before the first 64-byte line) and run length (whole lines, a partial
    /// tail, shorter than one line): exactly the run is copied, the floats either side are left alone.
    /// </summary>
    [Theory]
    [MemberData(nameof(Widths))]
    public void CopiesExactlyTheRunAtEveryAlignment(SimdWidth width)
    {
        float[] source = GC.AllocateUninitializedArray<float>(600, pinned: true);
        for (int i = 0; i < source.Length; i++) source[i] = i + 1;
        float[] destination = GC.AllocateUninitializedArray<float>(700, pinned: true);
        foreach (int offset in Enumerable.Range(0, 17))
            foreach (int count in new[] { 0, 1, 7, 15, 16, 17, 31, 32, 33, 513, 529 })
            {
                Array.Fill(destination, -1f);
                StreamingStore.Copy(ref source[3], ref destination[offset], count, width);
                StreamingStore.Fence();
                for (int i = 0; i < destination.Length; i++)
                {
                    float expected = i >= offset && i < offset + count ? source[3 + i - offset] : -1f;
                    Assert.True(expected == destination[i], $"offset {offset}, count {count}: [{i}] = {destination[i]}, expected {expected}");
                }
            }
    }
}

public class AlignedArrayTests
{
    [Theory]
    [InlineData(1)]
    [InlineData(513)]
    [InlineData(1 << 20)]
    public void OffsetIsOnA64ByteBoundaryWithRoomForTheLength(int length)
    {
        for (int i = 0; i < 8; i++)
        {
            float[] array = AlignedArray.Allocate(length, out int offset);
            Assert.InRange(offset, 0, 15);
            Assert.True(array.Length - offset >= length);
            GCHandle handle = GCHandle.Alloc(array, GCHandleType.Pinned);
            try { Assert.Equal(0, (handle.AddrOfPinnedObject() + offset * sizeof(float)) & 63); }
            finally { handle.Free(); }
        }
    }
}
