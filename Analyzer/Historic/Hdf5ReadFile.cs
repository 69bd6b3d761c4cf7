using Microsoft.Win32.SafeHandles;
using PureHDF;
using PureHDF.VOL.Native;

namespace Focus.Analyzer.Historic;

/// <summary>
/// An HDF5 file opened for reading: PureHDF parses it (headers, attributes, chunk indexes, filters) through a buffered
/// stream, and <see cref="SampleMatrix"/> reads sample blocks from the same handle with large positional reads where
/// the layout allows. The stream implements PureHDF's <see cref="IDatasetStream"/> hook, so the file offset at which
/// PureHDF reads a dataset's bytes can be observed (<see cref="OffsetOfDatasetRead"/>): that is how a contiguous
/// dataset's storage is found with PureHDF's public API only. Not thread-safe: one per reader.
/// </summary>
internal sealed class Hdf5ReadFile : IDisposable
{
    /// <summary>The buffer of the stream PureHDF parses through: its metadata reads are many and small.</summary>
    private const int MetadataBufferBytes = 16 * 1024;

    private readonly FileStream _stream;
    private readonly ProbeStream _probe;

    private Hdf5ReadFile(FileStream stream, ProbeStream probe, NativeFile native)
    {
        _stream = stream;
        _probe = probe;
        Native = native;
    }

    public NativeFile Native { get; }

    /// <summary>The file's length when it was opened.</summary>
    public long Length => _probe.Length;

    public SafeFileHandle Handle => _stream.SafeFileHandle;

    /// <summary>
    /// Opens <paramref name="path"/>. Throws what <see cref="FileStream"/> throws for a missing or unreadable file,
    /// and whatever PureHDF throws for a file that is not HDF5.
    /// </summary>
    public static Hdf5ReadFile Open(string path)
    {
        var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, MetadataBufferBytes);
        try
        {
            var probe = new ProbeStream(stream);
            var native = H5File.Open(probe, leaveOpen: true);
            return new Hdf5ReadFile(stream, probe, native);
        }
        catch
        {
            stream.Dispose();
            throw;
        }
    }

    /// <summary>
    /// Runs <paramref name="read"/> (one PureHDF read) and returns the file offsets and lengths of the dataset reads
    /// it made: for a contiguous dataset, one read of the selected bytes where they are stored; none when PureHDF
    /// produced the values without reading the file (fill values, compact or external storage).
    /// </summary>
    public IReadOnlyList<(long Offset, int Length)> OffsetOfDatasetRead(Action read)
    {
        _probe.Reads = [];
        try
        {
            read();
            return _probe.Reads;
        }
        finally
        {
            _probe.Reads = null;
        }
    }

    /// <summary>Fills <paramref name="buffer"/> from <paramref name="offset"/>; a file that ends first is an <see cref="EndOfStreamException"/>.</summary>
    public void ReadExactly(long offset, Span<byte> buffer)
    {
        while (!buffer.IsEmpty)
        {
            var read = RandomAccess.Read(Handle, buffer, offset);
            if (read <= 0)
                throw new EndOfStreamException($"the file ends at byte {offset}, before the {buffer.Length} bytes to read there");
            buffer = buffer[read..];
            offset += read;
        }
    }

    public void Dispose()
    {
        Native.Dispose();
        _stream.Dispose();
    }

    /// <summary>The stream PureHDF reads through; notes where dataset bytes are read while <see cref="Reads"/> is set.</summary>
    private sealed class ProbeStream(FileStream inner) : Stream, IDatasetStream
    {
        public List<(long Offset, int Length)>? Reads { get; set; }

        public override bool CanRead => true;
        public override bool CanSeek => true;
        public override bool CanWrite => false;
        public override long Length { get; } = inner.Length;

        public override long Position
        {
            get => inner.Position;
            set => inner.Position = value;
        }

        public void ReadDataset(Span<byte> buffer)
        {
            Reads?.Add((inner.Position, buffer.Length));
            inner.ReadExactly(buffer);
        }

        public override int Read(byte[] buffer, int offset, int count) => inner.Read(buffer, offset, count);

        public override int Read(Span<byte> buffer) => inner.Read(buffer);

        public override long Seek(long offset, SeekOrigin origin) => inner.Seek(offset, origin);

        public override void Flush() { }

        public override void SetLength(long value) => throw new NotSupportedException();

        public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();
    }
}
