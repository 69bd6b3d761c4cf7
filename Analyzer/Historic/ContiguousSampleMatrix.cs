using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using PureHDF.Selections;
using PureHDF.VOL.Native;

namespace Focus.Analyzer.Historic;

/// <summary>
/// Contiguous storage, read straight from the file: the storage's offset is where PureHDF reads element [0][0]
/// (<see cref="Hdf5ReadFile.OffsetOfDatasetRead"/>), checked against where it reads the last element (a C-order
/// array, as the HDF5 format defines contiguous storage) and against the file's length. A block of rows is read
/// with positional reads of up to <see cref="ReadBytes"/> covering whole row ranges (a narrow column range of a wide
/// file reads the bytes between its rows too, which costs less than a read per row), or with one read per row when
/// more than <see cref="MaxGapBytes"/> lie between one row's columns and the next's. Not memory-mapped: a mapped
/// file truncated under the reader kills the process (SIGBUS), a read only fails.
/// </summary>
internal sealed class ContiguousSampleMatrix : SampleMatrix
{
    /// <summary>Bytes one positional read fills at most (it stays in L2 while its columns are copied out).</summary>
    public const int ReadBytes = 1 << 20;

    /// <summary>Bytes between one row's columns and the next row's beyond which each row is read on its own.</summary>
    public const int MaxGapBytes = 16 * 1024;

    private readonly Hdf5ReadFile _file;
    private readonly long _offset;
    private byte[] _scratch = [];

    private ContiguousSampleMatrix(Hdf5ReadFile file, long offset, long rows, int columns, RawSampleType type) : base(rows, columns, type)
    {
        _file = file;
        _offset = offset;
    }

    public override string Storage => $"contiguous at byte {_offset}: direct reads";

    /// <summary>The reader, or null when PureHDF reads the values from elsewhere than one place in this file.</summary>
    public static ContiguousSampleMatrix? TryLocate(Hdf5ReadFile file, NativeDataset dataset, RawSampleType type, long rows, int columns, string name)
    {
        var size = type == RawSampleType.Int16 ? sizeof(short) : sizeof(float);
        var (first, firstBits) = Probe(file, dataset, type, 0, 0);
        if (first is null) return null;
        var storageBytes = (long)((ulong)rows * (ulong)columns * (ulong)size); // rows < 2^40, columns < 2^20: no overflow
        var offset = first.Value;
        if (offset < 0 || offset > file.Length - storageBytes)
            throw new InvalidDataException(
                $"{name} holds {storageBytes} bytes from byte {offset} of a file of {file.Length} bytes: it runs past the end (a truncated file?)");
        var (last, lastBits) = Probe(file, dataset, type, rows - 1, columns - 1);
        if (last != offset + storageBytes - size) return null; // not laid out as a C array where PureHDF reads it: let PureHDF read it

        // The bytes read directly are the values PureHDF decodes.
        Span<byte> bytes = stackalloc byte[sizeof(float)];
        file.ReadExactly(offset, bytes[..size]);
        var directFirst = size == 2 ? MemoryMarshal.Read<short>(bytes) : MemoryMarshal.Read<int>(bytes);
        file.ReadExactly(last.Value, bytes[..size]);
        var directLast = size == 2 ? MemoryMarshal.Read<short>(bytes) : MemoryMarshal.Read<int>(bytes);
        return directFirst == firstBits && directLast == lastBits ? new ContiguousSampleMatrix(file, offset, rows, columns, type) : null;
    }

    // Optimized from the first call: a playback's first block is read by it (tier-0 code would slow the first line).
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public override void Read(long firstRow, int rows, int firstColumn, int columns, Span<float> destination)
    {
        if (rows == 0 || columns == 0) return;
        var size = ElementSize;
        var rowBytes = (long)Columns * size;
        var spanBytes = columns * size;
        var start = _offset + firstRow * rowBytes + (long)firstColumn * size;

        if (columns == Columns && Type == RawSampleType.Float32)
        {
            // Whole rows of float32: straight into the destination.
            _file.ReadExactly(start, MemoryMarshal.AsBytes(destination[..(rows * columns)]));
            return;
        }
        if (rowBytes - spanBytes > MaxGapBytes)
        {
            // Few columns of very wide rows: one read per row, into the scratch, converted a scratch-full at a time.
            var perRead = Math.Max(1, ReadBytes / spanBytes);
            var scratch = Scratch((long)perRead * spanBytes);
            for (var done = 0; done < rows;)
            {
                var count = Math.Min(perRead, rows - done);
                for (var r = 0; r < count; r++)
                    _file.ReadExactly(start + (done + r) * rowBytes, scratch.AsSpan(r * spanBytes, spanBytes));
                Convert(scratch, destination.Slice(done * columns, count * columns), Type);
                done += count;
            }
            return;
        }

        // Row ranges: one read covers rows × the whole row width (less the tail of the last row).
        var rowsPerRead = (int)Math.Max(1, ReadBytes / rowBytes);
        var buffer = Scratch(Math.Min(rows, rowsPerRead) * rowBytes);
        for (var done = 0; done < rows;)
        {
            var count = Math.Min(rowsPerRead, rows - done);
            var bytes = (count - 1) * rowBytes + spanBytes;
            _file.ReadExactly(start + done * rowBytes, buffer.AsSpan(0, (int)bytes));
            if (columns == Columns)
            {
                Convert(buffer, destination.Slice(done * columns, count * columns), Type);
            }
            else if (columns == 1 && Type == RawSampleType.Float32)
            {
                var values = MemoryMarshal.Cast<byte, float>(buffer.AsSpan(0, (int)bytes));
                var stride = Columns;
                var target = destination.Slice(done, count);
                for (var r = 0; r < count; r++) target[r] = values[r * stride];
            }
            else
            {
                for (var r = 0; r < count; r++)
                    Convert(buffer.AsSpan((int)(r * rowBytes), spanBytes), destination.Slice((done + r) * columns, columns), Type);
            }
            done += count;
        }
    }

    private byte[] Scratch(long bytes)
    {
        if (_scratch.Length < bytes) _scratch = GC.AllocateUninitializedArray<byte>((int)bytes);
        return _scratch;
    }

    /// <summary>Where PureHDF reads element [row][column] (null when it does not read this file for it), and its bits.</summary>
    private static (long? Offset, int Bits) Probe(Hdf5ReadFile file, NativeDataset dataset, RawSampleType type, long row, int column)
    {
        var selection = new HyperslabSelection(2, [(ulong)row, (ulong)column], [1, 1]);
        int bits = 0;
        var reads = file.OffsetOfDatasetRead(() =>
        {
            if (type == RawSampleType.Int16)
            {
                Span<short> value = stackalloc short[1];
                dataset.Read(value, selection, memoryDims: [1]);
                bits = value[0];
            }
            else
            {
                Span<float> value = stackalloc float[1];
                dataset.Read(value, selection, memoryDims: [1]);
                bits = BitConverter.SingleToInt32Bits(value[0]);
            }
        });
        var size = type == RawSampleType.Int16 ? sizeof(short) : sizeof(float);
        return reads is [var read] && read.Length == size ? (read.Offset, bits) : (null, bits);
    }
}
