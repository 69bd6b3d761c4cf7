using System.Runtime.InteropServices;
using Focus.Analyzer.Historic;
using Focus.Analyzer.Pipeline;
using Focus.Analyzer.Spectral;
using Focus.Analyzer.Streaming;

namespace Focus.UnitTests.Historic;

/// <summary>
/// Issue 15 item 3: one playback computes its channels in parallel slices. Its lines are the same bits as one kernel
/// over every channel gives on the recorded frames (the sequential path), for every stream, across holes, whatever
/// the slicing, and its slices take turns of the compute gate like any pipeline.
/// </summary>
public sealed class ParallelPlaybackTests
{
    private static readonly TimeSpan Deadline = TimeSpan.FromSeconds(60);

    [Fact]
    public void Slices_start_on_vector_blocks_and_cover_every_channel_once()
    {
        Assert.Equal([(0, 1)], HistoricSlices.Plan(1, 4));
        Assert.Equal([(0, 15)], HistoricSlices.Plan(15, 4));
        Assert.Equal([(0, 16), (16, 16), (32, 18)], HistoricSlices.Plan(50, 4)); // no 2-channel slice: the tail rides with the last block
        Assert.Equal([(0, 16), (16, 34)], HistoricSlices.Plan(50, 2));
        Assert.Equal([(0, 64), (64, 64), (128, 64), (192, 64)], HistoricSlices.Plan(256, 4));
        Assert.Equal([(0, 2222)], HistoricSlices.Plan(2222, 1));
        foreach (var channels in new[] { 1, 15, 16, 17, 100, 300, 2222 })
            foreach (var max in new[] { 1, 2, 3, 4, 8, 1000 })
            {
                var plan = HistoricSlices.Plan(channels, max);
                Assert.InRange(plan.Length, 1, max);
                Assert.Equal(0, plan[0].Offset);
                for (var i = 1; i < plan.Length; i++)
                {
                    Assert.Equal(plan[i - 1].Offset + plan[i - 1].Channels, plan[i].Offset);
                    Assert.Equal(0, plan[i].Offset % HistoricSlices.ChannelsPerBlock);
                }
                Assert.Equal(channels, plan[^1].Offset + plan[^1].Channels);
                Assert.All(plan, p => Assert.True(p.Channels >= Math.Min(channels, HistoricSlices.ChannelsPerBlock)));
            }
    }

    [Theory]
    [InlineData(50, 37, "simd", false)]       // slices of 16, 16 and 18 channels (a 2-channel tail); a hop that divides nothing
    [InlineData(300, 128, "simd", false)]     // wide: 13 lines a turn, several turns and messages a block
    [InlineData(1, 10, "simd", false)]        // SINGLECHANNEL: one slice, consecutive frames in the lanes
    [InlineData(3, 37, "simd", false)]        // a few channels: (frame, channel) pairs in the lanes
    [InlineData(1, 10, "simd:Vector256", false)]
    [InlineData(40, 20, "reference", false)]
    [InlineData(50, 37, "simd:Vector256", false)] // an AVX2 machine's width
    [InlineData(50, 20, "simd:Vector256", true)]
    [InlineData(50, 20, "simd", true)]        // WATERFALL: one stream gathered from every slice
    [InlineData(300, 7, "simd", true)]
    public async Task Sliced_lines_are_the_bits_one_kernel_over_every_channel_gives(int channels, int hop, string engine, bool waterfall)
    {
        // A 6 s recording with a 0.8 s hole after 2 s; the window is 5 s of it.
        using var harness = new PlaybackHarness(channels, TimeSpan.FromSeconds(6), new RecordingGap(TimeSpan.FromSeconds(2), TimeSpan.FromMilliseconds(800)));
        var spec = waterfall ? harness.WaterfallSpec(hop, 5000) : harness.Spec(hop, 5000);
        using var gate = new ComputeGate(4);
        await using var parallel = harness.Playback(spec, gate, maxSlices: 4, engine: engine);
        await using var sequential = harness.Playback(spec, new ComputeGate(1), maxSlices: 1, engine: engine);
        Assert.Equal(Math.Clamp(channels / 16, 1, 4), parallel.Slices);
        Assert.Equal(1, sequential.Slices);

        var sliced = await PlayEveryStream(parallel, spec.StreamAmount);
        var whole = await PlayEveryStream(sequential, spec.StreamAmount);
        Assert.Null(parallel.Fault);
        Assert.True(parallel.Gaps > 0);
        Assert.Equal(sequential.Gaps, parallel.Gaps);
        Assert.Equal(sequential.LinesEmitted, parallel.LinesEmitted);

        var oracle = new WholeWidthOracle(harness, spec, SpectrogramEngines.Create(engine));
        for (var stream = 0; stream < spec.StreamAmount; stream++)
        {
            Assert.NotEmpty(sliced[stream]);
            Assert.Equal(whole[stream].Count, sliced[stream].Count);
            Assert.Equal(Enumerable.Range(0, sliced[stream].Count), sliced[stream].Select(l => l.Row));
            for (var i = 0; i < sliced[stream].Count; i++)
            {
                var (row, ms, values) = sliced[stream][i];
                Assert.Equal(whole[stream][i].Ms, ms);
                AssertSameBits(whole[stream][i].Values, values, $"stream {stream} row {row}: sliced against one slice");
                AssertSameBits(oracle.Line(ms, stream), values, $"stream {stream} row {row}: sliced against one kernel over the recorded frame");
            }
        }
    }

    [Fact]
    public async Task A_playback_plays_on_the_one_slot_other_jobs_leave_it_and_gives_it_back()
    {
        using var harness = new PlaybackHarness(channels: 64, recorded: TimeSpan.FromSeconds(3));
        var spec = harness.Spec(hop: 16, windowSamples: 2000);
        using var gate = new ComputeGate(2);
        var held = await gate.EnterAsync(CancellationToken.None); // another job holds one of the two slots throughout
        try
        {
            await using var playback = harness.Playback(spec, gate, maxSlices: 4);
            Assert.Equal(4, playback.Slices);
            var lines = await PlayEveryStream(playback, spec.StreamAmount);
            Assert.All(lines, stream => Assert.Equal(Enumerable.Range(0, 125), stream.Select(l => l.Row)));
            using var freed = await gate.EnterAsync(CancellationToken.None).AsTask().WaitAsync(Deadline); // the playback gave its slot back
        }
        finally
        {
            held.Dispose();
        }
    }

    [Fact]
    public async Task A_pipeline_waiting_for_the_gate_gets_a_slot_between_the_playbacks_turns()
    {
        // 64 channels at hop 1: 60,000 lines of 4,160 values, hundreds of turns of its four slices on both slots.
        using var harness = new PlaybackHarness(channels: 64, recorded: TimeSpan.FromSeconds(61));
        var spec = harness.Spec(hop: 1, windowSamples: 60_000);
        using var gate = new ComputeGate(2);
        await using var playback = harness.Playback(spec, gate, maxSlices: 4);
        var calls = Enumerable.Range(0, spec.StreamAmount).Select(playback.Attach).ToArray();
        var drain = Task.WhenAll(calls.Select(async call => { await foreach (var _ in call.Messages.ReadAllAsync()) { } }));
        try
        {
            for (var turn = 0; turn < 10 && !drain.IsCompleted; turn++)
            {
                // A live job's turn comes while the playback computes; the playback goes on on the other slot meanwhile.
                using var slot = await gate.EnterAsync(CancellationToken.None).AsTask().WaitAsync(Deadline);
                var before = playback.LinesEmitted;
                var deadline = DateTime.UtcNow + Deadline;
                while (playback.LinesEmitted == before && !drain.IsCompleted)
                {
                    Assert.True(DateTime.UtcNow < deadline, "the playback stopped while another job held one slot");
                    await Task.Delay(10);
                }
            }
            await drain.WaitAsync(Deadline);
            Assert.Equal(60_000, playback.LinesEmitted);
        }
        finally
        {
            foreach (var call in calls) call.Dispose();
        }
    }

    [Fact]
    public async Task A_slice_plays_on_into_the_next_block_while_another_still_sends_the_previous_one()
    {
        // 32 channels in two slices; blocks of 4096 rows, one message per stream each. Stream 0's call reads nothing
        // at first: its slice fills the call's 8 messages and waits to send block 8's. Every slice has copied block 8
        // out of the reader's buffer by then, so block 9 is read, and the other slice plays it without waiting for
        // the first one at block 8's end: stream 16 gets 10 messages. (Block 10 needs the first slice to take block 9.)
        using var harness = new PlaybackHarness(channels: 32, recorded: TimeSpan.FromSeconds(126));
        var spec = harness.Spec(hop: 64, windowSamples: 125_000);
        await using var playback = harness.Playback(spec, new ComputeGate(2), maxSlices: 2);
        var calls = Enumerable.Range(0, spec.StreamAmount).Select(playback.Attach).ToArray();
        try
        {
            var received = new int[calls.Length];
            var others = calls.Skip(1).Select(async call =>
            {
                await foreach (var _ in call.Messages.ReadAllAsync()) Interlocked.Increment(ref received[call.StreamId]);
            }).ToArray();
            var deadline = DateTime.UtcNow + Deadline;
            while (Volatile.Read(ref received[16]) < 10)
            {
                Assert.True(DateTime.UtcNow < deadline, $"stream 16 got {received[16]} messages while stream 0 was not read: the slices wait for each other");
                await Task.Delay(10);
            }
            Assert.Equal(HistoricPlayback.CallBufferMessages, calls[0].Messages.Count); // stream 0's call is full, nothing lost

            var first = 0;
            await foreach (var _ in calls[0].Messages.ReadAllAsync().WithCancellation(new CancellationTokenSource(Deadline).Token)) first++;
            await Task.WhenAll(others).WaitAsync(Deadline);
            Assert.Equal(first, received[16]);
            Assert.True(first >= 30, $"{first} messages");
            Assert.Null(playback.Fault);
        }
        finally
        {
            foreach (var call in calls) call.Dispose();
        }
    }

    [Fact]
    public async Task Calls_that_send_their_messages_get_the_same_bits_while_the_run_reuses_their_lines()
    {
        // 125 s of 32 channels: about 30 blocks of 4096 rows, a message per stream each.
        using var harness = new PlaybackHarness(channels: 32, recorded: TimeSpan.FromSeconds(126));
        var spec = harness.Spec(hop: 64, windowSamples: 125_000);
        await using var keeping = harness.Playback(spec, new ComputeGate(2), maxSlices: 2);
        await using var sending = harness.Playback(spec, new ComputeGate(2), maxSlices: 2);
        var kept = await PlayEveryStream(keeping, spec.StreamAmount);

        // Every stream's call, and a second call on stream 0 (one message, two holders), says when it has sent
        // a message, as a gRPC call does once its write returned: here once it has copied the message's lines.
        var calls = Enumerable.Range(0, spec.StreamAmount).Select(s => sending.Attach(s, releasesMessages: true))
            .Append(sending.Attach(0, releasesMessages: true)).ToArray();
        List<(int Row, long Ms, float[] Values)>[] sent;
        try
        {
            sent = await Task.WhenAll(calls.Select(async call =>
            {
                var lines = new List<(int Row, long Ms, float[] Values)>();
                await foreach (var message in call.Messages.ReadAllAsync())
                {
                    for (var i = 0; i < message.DataShapeY; i++)
                        lines.Add((message.RowIndex[i], message.TimestampInMilis[i], MemoryMarshal.Cast<byte, float>(message.MainData[i].Span).ToArray()));
                    call.Sent(message);
                }
                return lines;
            })).WaitAsync(Deadline);
        }
        finally
        {
            foreach (var call in calls) call.Dispose();
        }

        Assert.Null(sending.Fault);
        Assert.Equal(1, sending.PlaybacksStarted);
        for (var c = 0; c < calls.Length; c++)
        {
            var expected = kept[calls[c].StreamId];
            Assert.Equal(expected.Count, sent[c].Count);
            Assert.Equal(1954, sent[c].Count); // frames starting in the window (the recording runs 1 s past it)
            for (var i = 0; i < expected.Count; i++)
            {
                Assert.Equal((expected[i].Row, expected[i].Ms), (sent[c][i].Row, sent[c][i].Ms));
                AssertSameBits(expected[i].Values, sent[c][i].Values, $"call {c} (stream {calls[c].StreamId}) row {i}");
            }
        }
        // Calls that keep their messages get lines packed in the garbage collector's chunks, never reused: no pool.
        // Sent messages' chunks come back: at most the call buffers' worth of messages (8 each, and one being written,
        // 64 lines a block) is ever in flight, under half of the chunks the window's lines fill.
        Assert.Equal(0, keeping.LineChunksAllocated);
        var windowChunks = spec.StreamAmount * (1954 + LineChunkPool.LinesPerChunk - 1) / LineChunkPool.LinesPerChunk;
        Assert.True(sending.LineChunksAllocated > 0 && sending.LineChunksAllocated * 2 < windowChunks,
            $"{sending.LineChunksAllocated} chunks allocated by the sending calls' run, of the {windowChunks} its lines fill");
    }

    internal static async Task<List<(int Row, long Ms, float[] Values)>[]> PlayEveryStream(HistoricPlayback playback, int streams)
    {
        var calls = Enumerable.Range(0, streams).Select(playback.Attach).ToArray();
        try
        {
            return await Task.WhenAll(calls.Select(PlaybackHarness.ReadAll)).WaitAsync(Deadline);
        }
        finally
        {
            foreach (var call in calls) call.Dispose();
        }
    }

    internal static void AssertSameBits(float[] expected, float[] actual, string what)
    {
        Assert.Equal(expected.Length, actual.Length);
        var e = MemoryMarshal.AsBytes(expected.AsSpan());
        var a = MemoryMarshal.AsBytes(actual.AsSpan());
        if (e.SequenceEqual(a)) return;
        var first = Enumerable.Range(0, expected.Length).First(i => BitConverter.SingleToInt32Bits(expected[i]) != BitConverter.SingleToInt32Bits(actual[i]));
        Assert.Fail($"{what}: value {first} is {actual[first]:R}, expected {expected[first]:R}");
    }

    /// <summary>The sequential path by hand: a line is one kernel over every channel of the frame read from the recording.</summary>
    private sealed class WholeWidthOracle(PlaybackHarness harness, PipelineSpec spec, ISpectrogramEngine engine)
    {
        private readonly LineKernel _kernel = LineKernel.Create(engine, spec);
        private readonly Dictionary<long, float[]> _lines = [];

        public float[] Line(long ms, int stream)
        {
            if (!_lines.TryGetValue(ms, out var output))
            {
                var frame = new float[_kernel.FrameSamples * spec.ChannelAmount];
                Read(ms, frame);
                output = new float[_kernel.OutputLength];
                _kernel.Compute(frame, output);
                _lines[ms] = output;
            }
            return output.AsSpan(stream * spec.ValuesPerLine, spec.ValuesPerLine).ToArray();
        }

        private void Read(long ms, float[] frame)
        {
            foreach (var path in harness.Files)
            {
                using var recording = ProdmlRecording.Open(path);
                var row = ms - recording.Header.Start.ToUnixTimeMilliseconds(); // 1000 Hz: a row a millisecond
                if (row < 0 || row + _kernel.FrameSamples > recording.Header.SampleCount) continue;
                recording.Read(row, _kernel.FrameSamples, spec.ChannelMin, spec.ChannelAmount, frame);
                return;
            }
            Assert.Fail($"no recording holds the frame of {ms} ms");
        }
    }
}
