using System.Buffers;
using System.Runtime.InteropServices;
using Focus.Analyzer.Sources;
using Focus.Analyzer.Sources.RabbitMq;
using Focus.Analyzer.Sources.RabbitMq.Protos;
using Google.Protobuf;

namespace Focus.UnitTests.Live;

public sealed class ChunkAlignerTests
{
    private const double Prr = 2000;
    private const int BlockSize = 4, Samples = 10;

    /// <summary>A chunk of block b at slot t whose sample (s, channel c) is c * 1000 + t * Samples + s.</summary>
    private static DataChunk Chunk(int block, ulong sequence, int slot, double prr = Prr)
    {
        var first = block * BlockSize + 1;
        var values = new float[Samples * BlockSize];
        for (var s = 0; s < Samples; s++)
            for (var c = 0; c < BlockSize; c++)
                values[s * BlockSize + c] = (first + c) * 1000 + slot * Samples + s;
        return new DataChunk
        {
            Sequence = sequence,
            StartTimeNs = (long)(1_000_000_000L * (1_000_000L + slot * Samples) / Prr),
            Prr = prr,
            FirstChannel = (uint)first,
            ChannelCount = BlockSize,
            SampleCount = Samples,
            Samples = ByteString.CopyFrom(MemoryMarshal.AsBytes(values.AsSpan())),
        };
    }

    [Fact]
    public void Chunks_of_two_blocks_become_one_block_of_exactly_the_jobs_channels()
    {
        var aligner = new ChunkAligner(3, 6, BlockSize, Prr, window: 2); // blocks 0 (1..4) and 1 (5..8)
        var ready = new List<SampleBlock>();
        Assert.Equal(ChunkFate.Used, aligner.Add(0, Chunk(0, 0, 0), ready));
        Assert.Empty(ready);
        Assert.Equal(ChunkFate.Used, aligner.Add(1, Chunk(1, 0, 0), ready));
        var block = Assert.Single(ready);
        Assert.Equal(3, block.FirstChannel);
        Assert.Equal(4, block.ChannelCount);
        Assert.Equal(Samples, block.SampleCount);
        Assert.Equal(1_000_000L, block.FirstSampleIndex);
        for (var s = 0; s < Samples; s++)
            for (var c = 0; c < 4; c++)
                Assert.Equal((3 + c) * 1000 + s, block.Span[s * 4 + c]);
        Assert.Equal(ChunkFate.NotNeeded, aligner.Add(2, Chunk(2, 0, 0), ready));
        ArrayPool<float>.Shared.Return(block.Samples);
    }

    [Fact]
    public void Reordered_chunks_are_put_back_in_order_and_duplicates_and_late_ones_are_refused()
    {
        var aligner = new ChunkAligner(1, 2, BlockSize, Prr, window: 3);
        var ready = new List<SampleBlock>();
        Assert.Equal(ChunkFate.Used, aligner.Add(0, Chunk(0, 0, 0), ready));
        Assert.Equal(ChunkFate.Used, aligner.Add(0, Chunk(0, 2, 2), ready)); // 1 is late
        Assert.Equal(ChunkFate.Used, aligner.Add(0, Chunk(0, 1, 1), ready));
        Assert.Equal(ChunkFate.Duplicate, aligner.Add(0, Chunk(0, 1, 1), ready));
        Assert.Equal([1_000_000L, 1_000_010L, 1_000_020L], ready.Select(b => b.FirstSampleIndex));
        Assert.Equal(1, aligner.Reordered);
        Assert.Equal(0, aligner.Dropped);
    }

    [Fact]
    public void A_chunk_missing_past_the_window_is_dropped_and_its_slot_becomes_a_hole()
    {
        var aligner = new ChunkAligner(3, 6, BlockSize, Prr, window: 2);
        var ready = new List<SampleBlock>();
        aligner.Add(0, Chunk(0, 0, 0), ready); // block 1's chunk of slot 0 never comes
        for (var slot = 1; slot <= 4; slot++)
        {
            aligner.Add(0, Chunk(0, (ulong)slot, slot), ready);
            aligner.Add(1, Chunk(1, (ulong)slot, slot), ready);
        }
        Assert.Equal(1, aligner.Holes);
        Assert.Equal([1_000_010L, 1_000_020L, 1_000_030L, 1_000_040L], ready.Select(b => b.FirstSampleIndex));

        // A jump in block 0's sequence: 5 chunks never delivered (the queue dropped its head).
        aligner.Add(0, Chunk(0, 10, 10), ready);
        aligner.Add(1, Chunk(1, 10, 10), ready);
        aligner.Add(0, Chunk(0, 11, 11), ready);
        aligner.Add(1, Chunk(1, 11, 11), ready);
        aligner.Add(0, Chunk(0, 12, 12), ready);
        Assert.Equal(10, aligner.Dropped); // 5..9 of block 0 and of block 1
        Assert.Equal(ChunkFate.Duplicate, aligner.Add(1, Chunk(1, 7, 7), ready)); // given up already
    }

    [Theory]
    [InlineData("prr")]
    [InlineData("bytes")]
    [InlineData("channels")]
    [InlineData("empty")]
    public void Inconsistent_chunks_are_malformed_with_a_reason(string spoil)
    {
        var aligner = new ChunkAligner(1, 4, BlockSize, Prr, window: 2);
        var chunk = Chunk(0, 0, 0);
        switch (spoil)
        {
            case "prr": chunk.Prr = 1000; break;
            case "bytes": chunk.Samples = ByteString.CopyFrom(new byte[7]); break;
            case "channels": chunk.FirstChannel = 2; break; // lacks channel 1
            case "empty": chunk.SampleCount = 0; break;
        }
        Assert.Equal(ChunkFate.Malformed, aligner.Add(0, chunk, []));
        Assert.NotNull(aligner.LastProblem);
    }

    [Fact]
    public void Sample_index_of_a_start_time_is_exact_at_integral_prr()
    {
        Assert.Equal(3_534_000_000_123L, ChunkAligner.SampleIndex(3_534_000_000_123L * 500_000, 2000));
    }

    [Fact]
    public void A_chunk_whose_samples_times_the_jobs_channels_exceed_the_bound_is_malformed_and_allocates_nothing()
    {
        // A wide job (2222 channels, 64 per block) offered one channel of 1M samples: 2.2G values if it were slotted.
        var aligner = new ChunkAligner(1, 2222, 64, Prr, window: 4, maxValues: 16L * 1024 * 1024);
        var huge = new DataChunk
        {
            Sequence = 0, StartTimeNs = 1_000_000_000L, Prr = Prr, FirstChannel = 1, ChannelCount = 1,
            SampleCount = 1 << 20, Samples = ByteString.CopyFrom(new byte[4 << 20]),
        };
        var before = GC.GetAllocatedBytesForCurrentThread();
        Assert.Equal(ChunkFate.Malformed, aligner.Add(0, huge, []));
        Assert.True(GC.GetAllocatedBytesForCurrentThread() - before < 1 << 20, "nothing the size of the chunk's slot is allocated");
        Assert.Contains("MaxChunkValues", aligner.LastProblem);
    }

    [Theory]
    [InlineData(double.NaN)]
    [InlineData(double.PositiveInfinity)]
    [InlineData(0.0)]
    [InlineData(-2000.0)]
    public void A_chunk_without_a_finite_positive_prr_is_malformed(double prr)
    {
        var aligner = new ChunkAligner(1, 2, BlockSize, Prr, window: 2);
        Assert.Equal(ChunkFate.Malformed, aligner.Add(0, Chunk(0, 0, 0, prr), []));
        Assert.Contains("prr", aligner.LastProblem);
    }

    [Fact]
    public void A_chunk_whose_body_length_does_not_match_its_shape_is_malformed()
    {
        var aligner = new ChunkAligner(1, 2, BlockSize, Prr, window: 2);
        var chunk = Chunk(0, 0, 0);
        chunk.Samples = ByteString.CopyFrom(chunk.Samples.Span[..^4]);
        Assert.Equal(ChunkFate.Malformed, aligner.Add(0, chunk, []));
        Assert.Contains("bytes", aligner.LastProblem);
    }
}
