using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using PureHDF.Selections;
using PureHDF.VOL.Native;

namespace Focus.Analyzer.Historic;

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
