using Focus.Analyzer.Sources;

namespace Focus.Analyzer.Pipeline;

/// <summary>
/// Gathers a job's channels from incoming blocks into a time-major buffer and hands out the frames of
/// successive lines: line r covers samples <c>[origin + r*hop, origin + r*hop + frameSamples)</c>.
/// A block that does not continue the previous one is a gap: the buffer restarts at the next line the
/// new data can fill, so line numbers keep following time.
/// </summary>
internal sealed class FrameAssembler
{
    private readonly int _channelMin;
    private readonly int _channels;
    private readonly int _frameSamples;
    private readonly int _hop;
    private readonly long _origin;
    private float[] _buffer = [];
    private long _bufferStart; // sample index of the buffer's first row
    private int _rows;         // samples held
    private long _expected = -1; // next sample index the input should deliver; -1 after Reset

    public FrameAssembler(int channelMin, int channels, int frameSamples, int hop, long origin)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(channels, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(frameSamples, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(hop, 1);
        _channelMin = channelMin;
        _channels = channels;
        _frameSamples = frameSamples;
        _hop = hop;
        _origin = origin;
    }

    /// <summary>The line the next frame belongs to.</summary>
    public long NextLine { get; private set; }

    /// <summary>First sample of <see cref="NextLine"/>.</summary>
    public long NextLineStart => _origin + NextLine * _hop;

    /// <summary>Samples held now (bounded by a frame plus one block).</summary>
    public int BufferedSamples => _rows;

    /// <summary>The first line whose frame starts at or after <paramref name="sampleIndex"/>.</summary>
    public long LineAtOrAfter(long sampleIndex) =>
        sampleIndex <= _origin ? 0 : (sampleIndex - _origin + _hop - 1) / _hop;

    /// <summary>
    /// The last line whose frame ends at or before <paramref name="sampleIndex"/> (exclusive end), or 0.
    /// </summary>
    public long LastLineEndingBy(long sampleIndex)
    {
        var lastStart = sampleIndex - _frameSamples - _origin;
        return lastStart < 0 ? 0 : lastStart / _hop;
    }

    /// <summary>Forgets buffered input and continues at <paramref name="line"/> with the next block.</summary>
    public void Reset(long line, bool releaseBuffer = false)
    {
        NextLine = Math.Max(0, line);
        _rows = 0;
        _expected = -1;
        if (releaseBuffer) _buffer = [];
    }

    /// <summary>Adds a block; true when it did not continue the previous block (a gap).</summary>
    public bool Append(SampleBlock block)
    {
        var channelOffset = _channelMin - block.FirstChannel;
        if (channelOffset < 0 || channelOffset + _channels > block.ChannelCount)
            throw new InvalidDataException(
                $"input block holds channels {block.FirstChannel}..{block.FirstChannel + block.ChannelCount - 1}, " +
                $"the job needs {_channelMin}..{_channelMin + _channels - 1}");
        if (block.Samples.Length < block.SampleCount * block.ChannelCount)
            throw new InvalidDataException(
                $"input block claims {block.SampleCount}x{block.ChannelCount} samples but holds {block.Samples.Length}");

        DropConsumed();
        var start = block.FirstSampleIndex;
        var skip = 0L;
        var gap = false;
        if (_expected >= 0 && start > _expected)
        {
            gap = true;
            _rows = 0;
        }
        else if (_expected >= 0 && start < _expected)
        {
            skip = _expected - start; // repeated samples
        }
        _expected = Math.Max(_expected, start + block.SampleCount);

        if (_rows == 0)
        {
            var first = start + skip;
            if (first > NextLineStart) NextLine = LineAtOrAfter(first);
            skip = Math.Max(skip, NextLineStart - start); // samples before the next line serve no frame
            _bufferStart = start + skip;
        }
        if (skip >= block.SampleCount) return gap;

        var take = block.SampleCount - (int)skip;
        EnsureCapacity(_rows + take);
        var source = block.Span;
        var destination = _buffer.AsSpan(_rows * _channels, take * _channels);
        if (channelOffset == 0 && _channels == block.ChannelCount)
        {
            source.Slice((int)skip * _channels, take * _channels).CopyTo(destination);
        }
        else
        {
            for (var row = 0; row < take; row++)
                source.Slice(((int)skip + row) * block.ChannelCount + channelOffset, _channels)
                    .CopyTo(destination.Slice(row * _channels, _channels));
        }
        _rows += take;
        return gap;
    }

    /// <summary>
    /// The frame of <see cref="NextLine"/> (time-major <c>[frameSamples][channels]</c>) when its samples
    /// are all here; advances to the next line. The span stays valid until the next <see cref="Append"/>.
    /// </summary>
    public bool TryTakeFrame(out ReadOnlySpan<float> frame, out long line)
    {
        var offset = NextLineStart - _bufferStart;
        if (_rows == 0 || offset < 0 || offset + _frameSamples > _rows)
        {
            frame = default;
            line = -1;
            return false;
        }
        frame = _buffer.AsSpan((int)offset * _channels, _frameSamples * _channels);
        line = NextLine++;
        return true;
    }

    /// <summary>
    /// As <see cref="TryTakeFrame"/> for up to <paramref name="maxFrames"/> consecutive lines whose samples are all here:
    /// <paramref name="frames"/> holds their rows (<c>[(count - 1) * hop + frameSamples][channels]</c>, line
    /// <paramref name="firstLine"/> + i at row <c>i * hop</c>); advances past them.
    /// </summary>
    public bool TryTakeFrames(int maxFrames, out ReadOnlySpan<float> frames, out long firstLine, out int count)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(maxFrames, 1);
        var offset = NextLineStart - _bufferStart;
        if (_rows == 0 || offset < 0 || offset + _frameSamples > _rows)
        {
            frames = default;
            firstLine = -1;
            count = 0;
            return false;
        }
        count = (int)Math.Min(maxFrames, (_rows - offset - _frameSamples) / _hop + 1);
        frames = _buffer.AsSpan((int)offset * _channels, ((count - 1) * _hop + _frameSamples) * _channels);
        firstLine = NextLine;
        NextLine += count;
        return true;
    }

    private void DropConsumed()
    {
        var drop = (int)Math.Clamp(NextLineStart - _bufferStart, 0, _rows);
        if (drop == 0) return;
        _buffer.AsSpan(drop * _channels, (_rows - drop) * _channels).CopyTo(_buffer);
        _rows -= drop;
        _bufferStart += drop;
    }

    private void EnsureCapacity(int rows)
    {
        if (_buffer.Length >= rows * _channels) return;
        var grown = new float[Math.Max(rows, Math.Max(_frameSamples, _rows * 2)) * _channels];
        _buffer.AsSpan(0, _rows * _channels).CopyTo(grown);
        _buffer = grown;
    }
}
