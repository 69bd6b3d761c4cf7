using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
using System.Runtime.InteropServices;
using PureHDF;
using PureHDF.VOL.Native;

namespace Focus.Analyzer.Historic;

/// <summary>
/// A 2-D <c>[row][column]</c> HDF5 dataset of int16 or float32 samples (a recording's <c>[time][locus]</c> data), read
/// as float32 blocks of rows × a column range the fastest way its storage allows (<see cref="Create"/>):
/// <list type="bullet">
/// <item><b>contiguous</b> (<see cref="ContiguousSampleMatrix"/>): large positional reads straight from the file,</item>
/// <item><b>chunked</b> (<see cref="ChunkedSampleMatrix"/>): every chunk inflated once by PureHDF and copied from,</item>
/// <item>anything else (compact, external or virtual storage): PureHDF's hyperslab read (<see cref="PureHdfSampleMatrix"/>).</item>
/// </list>
/// PureHDF's own hyperslab read walks a selection one row of one chunk at a time, one file read per step: one column of
/// a 256-column contiguous dataset was 4096 reads of 4 bytes per 4096-row block, and a wide read of a chunked dataset
/// inflated every chunk once per row once its 1 MiB per-call chunk cache was full. Not thread-safe.
/// </summary>
internal abstract class SampleMatrix(long rows, int columns, RawSampleType type)
{
    /// <summary>Rows (time samples).</summary>
    public long Rows { get; } = rows;

    /// <summary>Columns (loci, channels).</summary>
    public int Columns { get; } = columns;

    public RawSampleType Type { get; } = type;

    /// <summary>How the samples are read, in words (for logs, tests and the read bench).</summary>
    public abstract string Storage { get; }

    protected int ElementSize => Type == RawSampleType.Int16 ? sizeof(short) : sizeof(float);

    /// <summary>
    /// The reader for <paramref name="dataset"/> (2-D, <paramref name="type"/> little-endian, dimensions already checked
    /// by the caller) of <paramref name="file"/>. Throws <see cref="InvalidDataException"/> when the dataset's storage
    /// cannot hold its values (it runs past the end of the file: a truncated recording).
    /// </summary>
    public static SampleMatrix Create(Hdf5ReadFile file, NativeDataset dataset, RawSampleType type, string name)
    {
        var dims = dataset.Space.Dimensions;
        var (rows, columns) = ((long)dims[0], (int)dims[1]);
        return dataset.Layout.Class switch
        {
            H5DataLayoutClass.Contiguous => (SampleMatrix?)ContiguousSampleMatrix.TryLocate(file, dataset, type, rows, columns, name)
                ?? new PureHdfSampleMatrix(dataset, type, rows, columns, "contiguous, not stored in one place of this file (never written: fill values; or external): PureHDF hyperslab reads"),
            H5DataLayoutClass.Chunked => new ChunkedSampleMatrix(dataset, type, rows, columns, dataset.Layout.Chunks),
            var other => new PureHdfSampleMatrix(dataset, type, rows, columns, $"{other.ToString().ToLowerInvariant()}: PureHDF hyperslab reads"),
        };
    }

    /// <summary>
    /// Reads rows <paramref name="firstRow"/>.. (<paramref name="rows"/>) of columns <paramref name="firstColumn"/>..
    /// (0-based, <paramref name="columns"/>) into <paramref name="destination"/>, <c>[row][column]</c>, as float32.
    /// The caller has checked the bounds.
    /// </summary>
    public abstract void Read(long firstRow, int rows, int firstColumn, int columns, Span<float> destination);

    /// <summary>Converts <paramref name="destination"/>.Length little-endian samples of <paramref name="type"/> from <paramref name="source"/>.</summary>
    protected static void Convert(ReadOnlySpan<byte> source, Span<float> destination, RawSampleType type)
    {
        if (type == RawSampleType.Float32)
            MemoryMarshal.Cast<byte, float>(source)[..destination.Length].CopyTo(destination);
        else
            Widen(MemoryMarshal.Cast<byte, short>(source)[..destination.Length], destination);
    }

    /// <summary>int16 → float32, 16 (or 8) at a time (TensorPrimitives.ConvertChecked&lt;short, float&gt; is a scalar loop).</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    internal static void Widen(ReadOnlySpan<short> source, Span<float> destination)
    {
        var n = source.Length;
        var i = 0;
        ref var from = ref MemoryMarshal.GetReference(source);
        ref var to = ref MemoryMarshal.GetReference(destination[..n]);
        if (Vector256.IsHardwareAccelerated)
        {
            for (; i <= n - Vector256<short>.Count; i += Vector256<short>.Count)
            {
                var (lower, upper) = Vector256.Widen(Vector256.LoadUnsafe(ref from, (nuint)i));
                Vector256.ConvertToSingle(lower).StoreUnsafe(ref to, (nuint)i);
                Vector256.ConvertToSingle(upper).StoreUnsafe(ref to, (nuint)(i + Vector256<int>.Count));
            }
        }
        else if (Vector128.IsHardwareAccelerated)
        {
            for (; i <= n - Vector128<short>.Count; i += Vector128<short>.Count)
            {
                var (lower, upper) = Vector128.Widen(Vector128.LoadUnsafe(ref from, (nuint)i));
                Vector128.ConvertToSingle(lower).StoreUnsafe(ref to, (nuint)i);
                Vector128.ConvertToSingle(upper).StoreUnsafe(ref to, (nuint)(i + Vector128<int>.Count));
            }
        }
        for (; i < n; i++) destination[i] = source[i];
    }
}
