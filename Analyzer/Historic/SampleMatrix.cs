using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
using System.Runtime.InteropServices;
using PureHDF;
using PureHDF.Selections;
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

/// <summary>
/// Chunked storage (optionally filtered: deflate, shuffle, ...), following the file's chunking: the chunks a block
/// needs are inflated by PureHDF once each, a band of chunk rows at a time (one PureHDF read of one value per chunk,
/// through <see cref="CapturingChunkCache"/>, which hands this class the inflated chunks), and the block's part of
/// each copied out row by row. The chunks of the last band are kept (at most <see cref="MaxKeepBytes"/>), so a chunk
/// that spans two blocks is inflated once: the working set HDF5's own chunk-cache guidance asks for. Chunks PureHDF
/// does not hand over as expected are read with PureHDF's hyperslab read.
/// </summary>
internal sealed class ChunkedSampleMatrix : SampleMatrix
{
    /// <summary>Bytes of inflated chunks one PureHDF read inflates and the reader keeps, at most (beyond one chunk).</summary>
    public const long MaxKeepBytes = 256L * 1024 * 1024;

    private readonly NativeDataset _dataset;
    private readonly int _chunkRows;
    private readonly int _chunkColumns;
    private readonly long _chunkBytes;
    private readonly ulong _chunksPerRow;
    private readonly CapturingChunkCache _capture = new();
    private readonly Dictionary<int, Memory<byte>> _kept = []; // chunk column → inflated chunk, of band _keptBand
    private long _keptBand = -1;

    public ChunkedSampleMatrix(NativeDataset dataset, RawSampleType type, long rows, int columns, ulong[] chunks) : base(rows, columns, type)
    {
        if (chunks is not [var chunkRows, var chunkColumns] || chunkRows == 0 || chunkColumns == 0)
            throw new InvalidDataException($"chunks of [{string.Join(", ", chunks)}] values for a 2-D dataset");
        _dataset = dataset;
        // RecordingLimits.CheckChunks has bounded a chunk to 64 MiB, so each extent fits an int.
        _chunkRows = (int)Math.Min(chunkRows, int.MaxValue);
        _chunkColumns = (int)Math.Min(chunkColumns, int.MaxValue);
        _chunkBytes = (long)_chunkRows * _chunkColumns * ElementSize;
        _chunksPerRow = ((ulong)columns + chunkColumns - 1) / chunkColumns;
    }

    public override string Storage => $"chunked [{_chunkRows}, {_chunkColumns}]: each chunk inflated once by PureHDF";

    /// <summary>Chunks inflated so far (tests count them).</summary>
    public long ChunksInflated { get; private set; }

    // Optimized from the first call: a playback's first block is read by it (tier-0 code would slow the first line).
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public override void Read(long firstRow, int rows, int firstColumn, int columns, Span<float> destination)
    {
        if (rows == 0 || columns == 0) return;
        var size = ElementSize;
        var endRow = firstRow + rows;
        var endColumn = firstColumn + columns;
        var firstChunk = firstColumn / _chunkColumns;
        var lastChunk = (endColumn - 1) / _chunkColumns;
        var group = (int)Math.Max(1, MaxKeepBytes / _chunkBytes); // chunk columns inflated by one PureHDF read
        for (var band = firstRow / _chunkRows; band * _chunkRows < endRow; band++)
        {
            var bandRow = band * _chunkRows;
            var r0 = Math.Max(firstRow, bandRow);
            var r1 = Math.Min(endRow, bandRow + _chunkRows);
            for (var from = firstChunk; from <= lastChunk; from += group)
            {
                var to = Math.Min(lastChunk, from + group - 1);
                var chunks = Chunks(band, from, to);
                for (var column = from; column <= to; column++)
                {
                    var chunkColumn = column * _chunkColumns;
                    var c0 = Math.Max(firstColumn, chunkColumn);
                    var c1 = (int)Math.Min(endColumn, (long)chunkColumn + _chunkColumns);
                    if (chunks[column - from] is not { } chunk)
                    {
                        ReadWithPureHdf(r0, (int)(r1 - r0), c0, c1 - c0, destination, firstRow, firstColumn, columns);
                        continue;
                    }
                    var bytes = chunk.Span;
                    var width = c1 - c0;
                    for (var r = r0; r < r1; r++)
                    {
                        var source = bytes.Slice((int)(((r - bandRow) * _chunkColumns + (c0 - chunkColumn)) * size), width * size);
                        Convert(source, destination.Slice((int)((r - firstRow) * columns + (c0 - firstColumn)), width), Type);
                    }
                }
            }
        }
    }

    /// <summary>
    /// The inflated chunks of <paramref name="band"/>, chunk columns <paramref name="from"/>..<paramref name="to"/>
    /// (null where PureHDF did not hand one over as expected): the kept ones, the others inflated by one PureHDF read.
    /// </summary>
    private Memory<byte>?[] Chunks(long band, int from, int to)
    {
        if (band != _keptBand)
        {
            _kept.Clear();
            _keptBand = band;
        }
        var chunks = new Memory<byte>?[to - from + 1];
        int missingFrom = -1, missingTo = -1;
        for (var column = from; column <= to; column++)
        {
            if (_kept.TryGetValue(column, out var kept)) chunks[column - from] = kept;
            else
            {
                if (missingFrom < 0) missingFrom = column;
                missingTo = column;
            }
        }
        if (missingFrom < 0) return chunks;

        var inflated = Inflate(band, missingFrom, missingTo);
        if (_kept.Count * _chunkBytes + inflated.Length * _chunkBytes > MaxKeepBytes) _kept.Clear();
        for (var i = 0; i < inflated.Length; i++)
        {
            var column = missingFrom + i;
            if (chunks[column - from] is not null || inflated[i] is not { } chunk) continue;
            chunks[column - from] = chunk;
            _kept[column] = chunk;
        }
        return chunks;
    }

    /// <summary>
    /// Has PureHDF read the first value of each chunk of <paramref name="band"/>, chunk columns <paramref name="from"/>..
    /// <paramref name="to"/>, capturing the chunks it inflates for them, and checks each capture (its chunk index, its
    /// size, its first value against the value PureHDF read).
    /// </summary>
    private Memory<byte>?[] Inflate(long band, int from, int to)
    {
        var count = to - from + 1;
        var selection = new HyperslabSelection(2,
            starts: [(ulong)band * (ulong)_chunkRows, (ulong)from * (ulong)_chunkColumns],
            strides: [(ulong)_chunkRows, (ulong)_chunkColumns],
            counts: [1, (ulong)count],
            blocks: [1, 1]);
        var access = new H5DatasetAccess(ChunkCache: _capture);
        var firstValues = new int[count];
        IReadOnlyList<(ulong Index, Memory<byte> Bytes)> captured;
        _capture.Start();
        try
        {
            if (Type == RawSampleType.Int16)
            {
                var values = new short[count];
                _dataset.Read(access, values.AsSpan(), selection, memoryDims: [(ulong)count]);
                for (var i = 0; i < count; i++) firstValues[i] = values[i];
            }
            else
            {
                var values = new float[count];
                _dataset.Read(access, values.AsSpan(), selection, memoryDims: [(ulong)count]);
                for (var i = 0; i < count; i++) firstValues[i] = BitConverter.SingleToInt32Bits(values[i]);
            }
        }
        finally
        {
            captured = _capture.Stop();
        }

        var size = ElementSize;
        var result = new Memory<byte>?[count];
        if (captured.Count != count) return result; // not one inflated chunk per value: let PureHDF read this band
        for (var i = 0; i < count; i++)
        {
            var (index, bytes) = captured[i];
            if (index != (ulong)band * _chunksPerRow + (ulong)(from + i) || bytes.Length < _chunkBytes) continue;
            var first = bytes.Span[..size];
            if ((size == 2 ? MemoryMarshal.Read<short>(first) : MemoryMarshal.Read<int>(first)) != firstValues[i])
                throw new InvalidDataException($"chunk {index} does not start with the value PureHDF reads there");
            result[i] = bytes;
            ChunksInflated++;
        }
        return result;
    }

    private void ReadWithPureHdf(long row, int rows, int column, int columns, Span<float> destination, long firstRow, int firstColumn, int destinationColumns)
    {
        var part = new float[rows * columns];
        PureHdfSampleMatrix.ReadHyperslab(_dataset, Type, row, rows, column, columns, part);
        for (var r = 0; r < rows; r++)
            part.AsSpan(r * columns, columns).CopyTo(destination.Slice((int)((row + r - firstRow) * destinationColumns + (column - firstColumn)), columns));
    }

    /// <summary>A chunk "cache" that caches nothing: it inflates each chunk PureHDF asks for and hands it to its owner.</summary>
    private sealed class CapturingChunkCache : IReadingChunkCache
    {
        private List<(ulong Index, Memory<byte> Bytes)>? _captured;

        public void Start() => _captured = [];

        /// <summary>The chunks inflated since <see cref="Start"/>, in the order PureHDF asked for them.</summary>
        public IReadOnlyList<(ulong Index, Memory<byte> Bytes)> Stop()
        {
            var captured = _captured ?? [];
            _captured = null;
            return captured;
        }

        public Memory<byte> GetChunk(ulong chunkIndex, Func<Memory<byte>> chunkReader)
        {
            var bytes = chunkReader();
            _captured?.Add((chunkIndex, bytes));
            return bytes;
        }
    }
}

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
