using PureHDF.Selections;
using PureHDF.VOL.Native;

namespace Focus.Analyzer.Historic;

/// <summary>PureHDF's hyperslab read, for storage the other readers do not handle.</summary>
internal sealed class PureHdfSampleMatrix(NativeDataset dataset, RawSampleType type, long rows, int columns, string storage)
    : SampleMatrix(rows, columns, type)
{
    private short[] _int16 = [];

    public override string Storage { get; } = storage;

    public override void Read(long firstRow, int rows, int firstColumn, int columns, Span<float> destination)
    {
        if (Type == RawSampleType.Int16)
        {
            var count = rows * columns;
            if (_int16.Length < count) _int16 = new short[count];
            ReadHyperslab(dataset, firstRow, rows, firstColumn, columns, _int16.AsSpan(0, count));
            Widen(_int16.AsSpan(0, count), destination[..count]);
        }
        else
        {
            ReadHyperslab(dataset, firstRow, rows, firstColumn, columns, destination[..(rows * columns)]);
        }
    }

    public static void ReadHyperslab(NativeDataset dataset, RawSampleType type, long firstRow, int rows, int firstColumn, int columns, Span<float> destination)
    {
        if (type == RawSampleType.Float32)
        {
            ReadHyperslab(dataset, firstRow, rows, firstColumn, columns, destination);
            return;
        }
        var raw = new short[rows * columns];
        ReadHyperslab(dataset, firstRow, rows, firstColumn, columns, raw.AsSpan());
        Widen(raw, destination);
    }

    private static void ReadHyperslab<T>(NativeDataset dataset, long firstRow, int rows, int firstColumn, int columns, Span<T> destination) where T : unmanaged
    {
        var selection = new HyperslabSelection(2, [(ulong)firstRow, (ulong)firstColumn], [(ulong)rows, (ulong)columns]);
        dataset.Read(destination, selection, memoryDims: [(ulong)destination.Length]);
    }
}
