using System.Buffers;
using System.Runtime.InteropServices;
using Focus.Analyzer.Sources.RabbitMq.Protos;

namespace Focus.Analyzer.Sources.RabbitMq;

/// <summary>What became of one chunk offered to a <see cref="ChunkAligner"/>.</summary>
public enum ChunkFate
{
    /// <summary>Placed in its time slot (in order, or reordered within the window).</summary>
    Used,
    /// <summary>Its block does not hold any of the job's channels (a binding left over from a change).</summary>
    NotNeeded,
    /// <summary>Same block and sequence as one already seen.</summary>
    Duplicate,
    /// <summary>For a time slot already handed out or given up.</summary>
    Late,
    /// <summary>Not a consistent DataChunk for its routing key (see the reason).</summary>
    Malformed,
}

/// <summary>
/// Turns one job's <c>DataChunk</c>s (one per channel block and ~100 ms, from several blocks when the job's
/// channels span them) into <see cref="SampleBlock"/>s holding exactly the job's channels, in time order.
/// Chunks of the same instant are gathered in a slot; the oldest slot is handed out once every block is in, or
/// given up (a hole in time, which the pipeline counts as a gap) once <c>window</c> newer slots exist. Per block,
/// sequence numbers find duplicates and missing chunks: a chunk still missing when its block has moved
/// <c>window</c> sequences on counts as dropped. Not thread-safe: one consumer feeds it.
/// </summary>
public sealed class ChunkAligner
{
    private const int MaxSampleCount = 1 << 20;
    private const ulong RestartDistance = 10_000; // a sequence this far back means the recorder restarted

    private readonly int _first;
    private readonly int _last;
    private readonly int _blockSize;
    private readonly double _prr;
    private readonly int _window;
    private readonly long _maxValues;
    private readonly int[] _blocks;
    private readonly SortedDictionary<long, Slot> _slots = new();
    private readonly Dictionary<int, BlockSequence> _sequences = new();
    private long _handedOutTo = long.MinValue; // slots starting before this are done

    /// <param name="maxValues">Most samples x job channels one time slot may hold: a larger chunk is refused, not allocated.</param>
    public ChunkAligner(int firstChannel, int lastChannel, int blockSize, double prr, int window, long maxValues = 16L * 1024 * 1024)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(window, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(maxValues, 1);
        _maxValues = maxValues;
        _first = firstChannel;
        _last = lastChannel;
        _blockSize = blockSize;
        _prr = prr;
        _window = window;
        _blocks = [.. PrismaTopology.Blocks(firstChannel, lastChannel, blockSize)];
    }

    public int Channels => _last - _first + 1;

    /// <summary>Chunks missing for good (see the class remarks).</summary>
    public long Dropped { get; private set; }

    /// <summary>Time slots given up because a block's chunk never came.</summary>
    public long Holes { get; private set; }

    public long Reordered { get; private set; }

    /// <summary>Why the last <see cref="ChunkFate.Malformed"/> chunk was refused.</summary>
    public string? LastProblem { get; private set; }

    /// <summary>
    /// Offers a chunk that arrived with routing key block <paramref name="block"/>; appends the blocks it
    /// completes (buffers rented from <see cref="ArrayPool{T}.Shared"/>: return them) to <paramref name="ready"/>.
    /// </summary>
    public ChunkFate Add(int block, DataChunk chunk, List<SampleBlock> ready)
    {
        var blockIndex = Array.IndexOf(_blocks, block);
        if (blockIndex < 0) return ChunkFate.NotNeeded;
        if (Validate(block, chunk) is { } problem)
        {
            LastProblem = problem;
            return ChunkFate.Malformed;
        }
        if (!Sequence(block, chunk.Sequence)) return ChunkFate.Duplicate;

        var start = SampleIndex(chunk.StartTimeNs, _prr);
        var samples = (int)chunk.SampleCount;
        if (start < _handedOutTo) return ChunkFate.Late;
        if (!_slots.TryGetValue(start, out var slot))
        {
            slot = new Slot(start, samples, _blocks.Length, ArrayPool<float>.Shared.Rent(samples * Channels));
            _slots.Add(start, slot);
        }
        else if (slot.SampleCount != samples)
        {
            LastProblem = $"block {block} has {samples} samples at sample {start}, other blocks {slot.SampleCount}";
            return ChunkFate.Malformed;
        }
        if (slot.Filled[blockIndex]) return ChunkFate.Duplicate;
        Copy(chunk, slot);
        slot.Filled[blockIndex] = true;
        slot.Missing--;
        HandOut(ready);
        return ChunkFate.Used;
    }

    /// <summary>Forgets every pending slot (returning their buffers), e.g. after the queue was lost.</summary>
    public void Clear()
    {
        foreach (var slot in _slots.Values) ArrayPool<float>.Shared.Return(slot.Buffer);
        _slots.Clear();
    }

    /// <summary><c>round(startTimeNs * prr / 1e9)</c>: the sample index of a chunk's first sample.</summary>
    public static long SampleIndex(long startTimeNs, double prr) =>
        (long)Math.Round((decimal)startTimeNs * (decimal)prr / 1_000_000_000m, MidpointRounding.AwayFromZero);

    private string? Validate(int block, DataChunk chunk)
    {
        if (!(chunk.Prr > 0) || !double.IsFinite(chunk.Prr)) return $"prr {chunk.Prr} is not a positive rate";
        if (chunk.Prr != _prr) return $"prr {chunk.Prr}, the job reads {_prr}";
        if (chunk.ChannelCount == 0 || chunk.SampleCount == 0) return "no samples";
        if (chunk.SampleCount > MaxSampleCount || chunk.ChannelCount > _blockSize) return $"{chunk.SampleCount} x {chunk.ChannelCount} samples";
        if ((long)chunk.SampleCount * Channels > _maxValues)
            return $"{chunk.SampleCount} samples x the job's {Channels} channels exceed {_maxValues} values per chunk (Focus:Live:MaxChunkValues)";
        long first = chunk.FirstChannel, last = first + chunk.ChannelCount - 1;
        if (first < 1 || PrismaTopology.BlockOf((int)first, _blockSize) != block || PrismaTopology.BlockOf((int)Math.Min(last, int.MaxValue), _blockSize) != block)
            return $"channels {first}..{last} are not in block {block} of {_blockSize}";
        long needFirst = Math.Max(_first, (long)block * _blockSize + 1), needLast = Math.Min(_last, (long)(block + 1) * _blockSize);
        if (first > needFirst || last < needLast) return $"channels {first}..{last} lack {needFirst}..{needLast}";
        if (chunk.Samples.Length != (long)chunk.SampleCount * chunk.ChannelCount * sizeof(float))
            return $"{chunk.Samples.Length} bytes for {chunk.SampleCount} x {chunk.ChannelCount} float32";
        return null;
    }

    /// <summary>True when the chunk is new for its block; counts chunks that went missing.</summary>
    private bool Sequence(int block, ulong sequence)
    {
        if (!_sequences.TryGetValue(block, out var seen))
        {
            _sequences[block] = new BlockSequence(sequence + 1);
            return true;
        }
        if (sequence >= seen.Next)
        {
            var skipped = sequence - seen.Next;
            if (skipped > (ulong)(4 * _window)) Dropped += (long)skipped; // far behind: no reordering to wait for
            else for (var s = seen.Next; s < sequence; s++) seen.Missing.Add(s);
            seen.Next = sequence + 1;
            while (seen.Missing.Count > 0 && seen.Missing.Min + (ulong)_window < seen.Next)
            {
                seen.Missing.Remove(seen.Missing.Min);
                Dropped++;
            }
            return true;
        }
        if (seen.Missing.Remove(sequence))
        {
            Reordered++;
            return true;
        }
        if (seen.Next - sequence > RestartDistance)
        {
            seen.Next = sequence + 1; // the recorder restarted its count
            seen.Missing.Clear();
            return true;
        }
        return false;
    }

    private void Copy(DataChunk chunk, Slot slot)
    {
        var source = MemoryMarshal.Cast<byte, float>(chunk.Samples.Span);
        int chunkFirst = (int)chunk.FirstChannel, chunkChannels = (int)chunk.ChannelCount, channels = Channels;
        var from = Math.Max(_first, chunkFirst);
        var to = Math.Min(_last, chunkFirst + chunkChannels - 1);
        var width = to - from + 1;
        var destination = slot.Buffer.AsSpan(0, slot.SampleCount * channels);
        for (var row = 0; row < slot.SampleCount; row++)
            source.Slice(row * chunkChannels + (from - chunkFirst), width)
                .CopyTo(destination.Slice(row * channels + (from - _first), width));
    }

    private void HandOut(List<SampleBlock> ready)
    {
        // A chunk still expected (a sequence gap inside the window) may belong before the oldest slot: wait for it.
        var expecting = _sequences.Values.Any(s => s.Missing.Count > 0);
        while (_slots.Count > 0)
        {
            var (start, slot) = _slots.First();
            if ((slot.Missing > 0 || expecting) && _slots.Count <= _window) return;
            _slots.Remove(start);
            _handedOutTo = start + slot.SampleCount;
            if (slot.Missing == 0)
            {
                ready.Add(new SampleBlock(start, _first, Channels, slot.SampleCount, slot.Buffer));
            }
            else
            {
                Holes++;
                ArrayPool<float>.Shared.Return(slot.Buffer);
            }
        }
    }

    private sealed class Slot(long start, int sampleCount, int blocks, float[] buffer)
    {
        public long Start { get; } = start;
        public int SampleCount { get; } = sampleCount;
        public float[] Buffer { get; } = buffer;
        public bool[] Filled { get; } = new bool[blocks];
        public int Missing { get; set; } = blocks;
    }

    private sealed class BlockSequence(ulong next)
    {
        public ulong Next { get; set; } = next;
        public SortedSet<ulong> Missing { get; } = [];
    }
}
