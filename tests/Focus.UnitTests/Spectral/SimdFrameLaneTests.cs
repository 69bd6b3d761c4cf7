using System.Diagnostics.Metrics;
using System.Runtime.InteropServices;
using Focus.Analyzer.Pipeline;
using Focus.Analyzer.Sources;
using Focus.Analyzer.Spectral;
using Focus.Analyzer.Streaming;
using Microsoft.Extensions.Logging.Abstractions;

namespace Focus.UnitTests.Spectral;

/// <summary>
/// The frame-lane path: shapes with fewer channels than lanes compute consecutive frames side by side
/// (<see cref="SimdSpectrumKernel.ComputeFrames"/>). Checked against the reference engine frame by frame, on every
/// width, and through a live SINGLECHANNEL pipeline.
/// </summary>
public class SimdFrameLaneTests
{
    public static readonly TheoryData<SimdWidth> Widths = new() { SimdWidth.Scalar, SimdWidth.Vector128, SimdWidth.Vector256, SimdWidth.Vector512 };

    private static readonly ReferenceSpectrogramEngine Reference = new();

    /// <summary>Time-major <c>[rows][channels]</c>: noise plus a per-channel tone, exactly as long as the frames need.</summary>
    private static float[] Samples(int rows, int channels, int seed)
    {
        var random = new Random(seed);
        float[] x = SpectralOracle.Gaussian(random, rows, channels);
        for (int n = 0; n < rows; n++)
            for (int c = 0; c < channels; c++)
                x[n * channels + c] += (float)(0.2 * c + 3 * Math.Sin(2 * Math.PI * (0.05 + 0.031 * c) * n + c));
        return x;
    }

    /// <summary>The reference engine's lines, one frame at a time.</summary>
    private static float[] ReferenceLines(SpectrumShape shape, float[] samples, int hop, int frames)
    {
        int line = shape.Channels * shape.BinCount;
        var expected = new float[frames * line];
        ISpectrumKernel kernel = Reference.CreateSpectrum(shape);
        for (int f = 0; f < frames; f++)
            kernel.Compute(samples.AsSpan(f * hop * shape.Channels, shape.Nfft * shape.Channels), expected.AsSpan(f * line, line));
        return expected;
    }

    private static void AssertAgrees(float[] expected, float[] actual, string what)
    {
        Assert.Equal(expected.Length, actual.Length);
        for (int i = 0; i < expected.Length; i++)
        {
            if (expected[i] <= -10) continue; // power > 0.1 (the yardstick's rule)
            double d = Math.Abs(expected[i] - actual[i]);
            Assert.True(d < 0.01, $"{what}: cell {i}: {actual[i]} vs {expected[i]} dB (|d| = {d})");
        }
    }

    [Theory]
    [MemberData(nameof(Widths))]
    public void FramesInLanesAgreeWithTheReferenceEngine(SimdWidth width)
    {
        var engine = new SimdSpectrogramEngine(FftPlanCache.Shared, width);
        foreach (int nfft in new[] { 16, 64, 512 })
            foreach (int channels in new[] { 1, 2, 3, 5, 7, 9, 15 })
                foreach (int hop in new[] { 1, 7, nfft / 4, nfft + 3 })
                    foreach (int frames in new[] { 1, 6, 16, 23 })
                    {
                        var random = new Random(nfft + channels * 7 + hop * 31 + frames);
                        int first = random.Next(0, nfft / 4), count = random.Next(1, nfft / 2 + 2 - first);
                        var shape = new SpectrumShape(nfft, first, count, channels);
                        float[] samples = Samples((frames - 1) * hop + nfft, channels, hop + frames);
                        SimdSpectrumKernel kernel = engine.CreateSimdSpectrum(shape);
                        var actual = new float[frames * channels * count];
                        kernel.ComputeFrames(samples, hop, frames, actual);
                        string what = $"{width} nfft {nfft} channels {channels} hop {hop} frames {frames}";
                        AssertAgrees(ReferenceLines(shape, samples, hop, frames), actual, what);

                        // Each lane runs a channel lane's operations: the same lines as one frame at a time.
                        var single = new float[actual.Length];
                        for (int f = 0; f < frames; f++)
                            kernel.Compute(samples.AsSpan(f * hop * channels, nfft * channels), single.AsSpan(f * channels * count, channels * count));
                        Assert.True(single.AsSpan().SequenceEqual(actual), $"{what}: frame lanes differ from one frame at a time");
                    }
    }

    [Theory]
    [MemberData(nameof(Widths))]
    public void A_SINGLECHANNEL_job_at_a_quarter_hop_slides_with_the_gathered_blocks_bits(SimdWidth width)
    {
        var engine = new SimdSpectrogramEngine(FftPlanCache.Shared, width);
        foreach ((int nfft, int hop) in new[] { (1024, 256), (4096, 1024), (1024, 128), (4096, 1000) })
        {
            var shape = new SpectrumShape(nfft, 3, nfft / 2 - 5, 1);
            SimdSpectrumKernel kernel = engine.CreateSimdSpectrum(shape);
            int frames = 2 * 16 + 5, bins = shape.BinCount; // full batches of every width, then a partial one
            string what = $"{width} nfft {nfft} hop {hop}";
            bool hardware = width == SimdWidth.Vector512 ? System.Runtime.Intrinsics.X86.Avx512F.IsSupported
                : width == SimdWidth.Vector256 && System.Runtime.Intrinsics.X86.Avx2.IsSupported;
            Assert.True(kernel.Slides(hop) == (hop * 4 == nfft && hardware), $"{what}: slides {kernel.Slides(hop)}");
            float[] samples = Samples((frames - 1) * hop + nfft, 1, nfft + hop);
            var actual = new float[frames * bins];
            kernel.ComputeFrames(samples, hop, frames, actual);
            AssertAgrees(ReferenceLines(shape, samples, hop, frames), actual, what);

            // The gathered block's path: batches one frame short of the lanes never slide.
            var gathered = new float[actual.Length];
            int batch = Math.Max(1, kernel.FramesPerBatch - 1);
            for (int f = 0; f < frames; f += batch)
            {
                int count = Math.Min(batch, frames - f);
                kernel.ComputeFrames(samples.AsSpan(f * hop), hop, count, gathered.AsSpan(f * bins, count * bins));
            }
            for (int i = 0; i < actual.Length; i++)
                Assert.True(gathered[i] == actual[i], $"{what}: frame {i / bins} bin {i % bins}: {actual[i]} vs gathered {gathered[i]}");
        }
    }

    [Fact]
    public void EveryWidthGivesTheSameLines()
    {
        int nfft = 1024, hop = 100, frames = 37;
        foreach (int channels in new[] { 1, 3 })
        {
            var shape = new SpectrumShape(nfft, 2, 400, channels);
            float[] samples = Samples((frames - 1) * hop + nfft, channels, channels);
            float[]? scalar = null;
            foreach (SimdWidth width in new[] { SimdWidth.Scalar, SimdWidth.Vector128, SimdWidth.Vector256, SimdWidth.Vector512 })
            {
                var lines = new float[frames * channels * 400];
                new SimdSpectrogramEngine(FftPlanCache.Shared, width).CreateSimdSpectrum(shape).ComputeFrames(samples, hop, frames, lines);
                scalar ??= lines;
                for (int i = 0; i < lines.Length; i++)
                    Assert.True(Math.Abs(scalar[i] - lines[i]) <= 1e-4, $"{channels} channels, {width} cell {i}: {lines[i]} vs scalar {scalar[i]}");
            }
        }
    }

    [Fact]
    public void NarrowShapesBatchAsManyFramesAsLanes()
    {
        var engine = new SimdSpectrogramEngine(FftPlanCache.Shared, SimdWidth.Vector512);
        Assert.Equal(16, engine.CreateSimdSpectrum(new SpectrumShape(256, 0, 129, 1)).FramesPerBatch);
        Assert.Equal(16, engine.CreateSimdSpectrum(new SpectrumShape(256, 0, 129, 15)).FramesPerBatch);
        Assert.Equal(1, engine.CreateSimdSpectrum(new SpectrumShape(256, 0, 129, 16)).FramesPerBatch);
        Assert.Equal(8, new SimdSpectrogramEngine(FftPlanCache.Shared, SimdWidth.Vector256).CreateSimdSpectrum(new SpectrumShape(256, 0, 129, 1)).FramesPerBatch);
        Assert.Equal(1, new SimdSpectrogramEngine(FftPlanCache.Shared, SimdWidth.Scalar).CreateSimdSpectrum(new SpectrumShape(256, 0, 129, 1)).FramesPerBatch);
        Assert.Equal(1, ((ISpectrumKernel)Reference.CreateSpectrum(new SpectrumShape(256, 0, 129, 1))).FramesPerBatch);
    }

    [Theory]
    [MemberData(nameof(Widths))]
    public void FramesInLanesDoNotAllocate(SimdWidth width)
    {
        int nfft = 1024, hop = 256, frames = 16;
        foreach (int channels in new[] { 3, 1 }) // 1 channel at hop nfft/4: full batches slide (SlidingFrames)
        {
            var kernel = new SimdSpectrogramEngine(FftPlanCache.Shared, width).CreateSimdSpectrum(new SpectrumShape(nfft, 0, 513, channels));
            float[] samples = Samples((frames - 1) * hop + nfft, channels, 1);
            var lines = new float[frames * channels * 513];
            kernel.ComputeFrames(samples, hop, frames, lines); // warm-up (JIT)
            Assert.Equal(0, SteadyStateAllocation.Least(() =>
            {
                for (int i = 0; i < 10; i++) kernel.ComputeFrames(samples, hop, frames, lines);
            }));
        }
    }

    [Fact]
    public void RejectsSpansTooShortForTheFrames()
    {
        var kernel = new SimdSpectrogramEngine().CreateSimdSpectrum(new SpectrumShape(64, 0, 33, 2));
        var lines = new float[4 * 2 * 33];
        Assert.Throws<ArgumentException>(() => kernel.ComputeFrames(new float[(3 * 10 + 64) * 2 - 1], 10, 4, lines));
        Assert.Throws<ArgumentException>(() => kernel.ComputeFrames(new float[(3 * 10 + 64) * 2], 10, 4, new float[lines.Length - 1]));
        Assert.Throws<ArgumentOutOfRangeException>(() => kernel.ComputeFrames(new float[1000], 0, 4, lines));
    }

    [Fact]
    public void The_assembler_hands_out_consecutive_frames_as_one_span()
    {
        // 2 channels, frames of 8 samples at hop 4: 40 samples hold lines 0..8.
        var assembler = new FrameAssembler(1, 2, frameSamples: 8, hop: 4, origin: 0);
        var data = new float[40 * 2];
        for (int i = 0; i < data.Length; i++) data[i] = i;
        assembler.Append(new SampleBlock(0, 1, 2, 40, data));

        Assert.True(assembler.TryTakeFrames(4, out var frames, out var first, out var count));
        Assert.Equal((0, 4), (first, count));
        Assert.Equal(((4 - 1) * 4 + 8) * 2, frames.Length); // rows of lines 0..3
        Assert.Equal(0, frames[0]);
        Assert.True(assembler.TryTakeFrames(16, out frames, out first, out count));
        Assert.Equal((4, 5), (first, count)); // only lines 4..8 are complete
        Assert.Equal(4 * 4 * 2, frames[0]);   // line 4 starts at sample 16
        Assert.Equal(((5 - 1) * 4 + 8) * 2, frames.Length);
        Assert.False(assembler.TryTakeFrames(16, out _, out _, out _));
        Assert.Equal(9, assembler.NextLine);
    }

    [Fact]
    public void A_wide_frame_stops_between_channel_blocks_when_cancelled()
    {
        // 512 channels at nfft 16384: 32 blocks of 16 channels in one frame. Cancelled once the first block's rows are
        // out, the frame stops before its last block. (A heavily loaded machine may finish the frame before the
        // canceller runs: then the attempt is repeated.)
        const int nfft = 16384, channels = 512, bins = 257;
        var frame = new float[nfft * channels];
        var random = new Random(3);
        for (int i = 0; i < frame.Length; i++) frame[i] = (float)(random.NextDouble() - 0.5);
        var kernel = new SimdSpectrogramEngine().CreateSimdSpectrum(new SpectrumShape(nfft, 10, bins, channels));
        var output = new float[channels * bins];
        for (int attempt = 0; attempt < 20; attempt++)
        {
            Array.Fill(output, float.NaN);
            using var cts = new CancellationTokenSource();
            Exception? thrown = null;
            var worker = new Thread(() =>
            {
                try { kernel.Compute(frame, channels, output, bins, cts.Token); }
                catch (Exception ex) { thrown = ex; }
            });
            worker.Start();
            while (float.IsNaN(Volatile.Read(ref output[0])) && worker.IsAlive) Thread.Yield();
            cts.Cancel();
            worker.Join();
            if (thrown is null) continue; // finished before the cancel was seen
            Assert.IsAssignableFrom<OperationCanceledException>(thrown);
            Assert.False(float.IsNaN(output[0]));
            Assert.True(float.IsNaN(output[(channels - 1) * bins]), "the last block was computed after the cancel");
            return;
        }
        Assert.Fail("the frame was never cancelled mid-way in 20 attempts");
    }

    [Fact]
    public void A_cancelled_token_stops_before_the_first_block()
    {
        var kernel = new SimdSpectrogramEngine().CreateSimdSpectrum(new SpectrumShape(64, 0, 33, 40));
        var output = new float[40 * 33];
        Array.Fill(output, float.NaN);
        Assert.ThrowsAny<OperationCanceledException>(() => kernel.Compute(new float[64 * 40], output, new CancellationToken(true)));
        var narrow = new SimdSpectrogramEngine().CreateSimdSpectrum(new SpectrumShape(64, 0, 33, 2));
        Assert.ThrowsAny<OperationCanceledException>(() => narrow.ComputeFrames(new float[80 * 2], 16, 2, new float[2 * 2 * 33], new CancellationToken(true)));
        Assert.All(output, v => Assert.True(float.IsNaN(v)));
    }

    [Fact]
    public async Task A_live_SINGLECHANNEL_jobs_lines_equal_the_reference_engines()
    {
        // Blocks of uneven sizes (the frames of a batch straddle blocks); 300 lines at hop 100 over nfft 1024.
        const int nfft = 1024, hop = 100, lines = 300, samples = (lines - 1) * hop + nfft;
        var spec = new PipelineSpec
        {
            JobId = "single-1", IsWaterfall = false, ChannelMin = 3, ChannelMax = 3, Prr = 2000, Hop = hop, Nfft = nfft,
            FirstBin = 5, BinCount = 200, StreamAmount = 1,
            // Live lines start at the newest line when the pipeline opens its input: keep the numbers small.
            StartSampleIndex = DateTimeOffset.UtcNow.ToUnixTimeMilliseconds() * 2,
        };
        const int fiber = 5; // the input carries channels 1..5; the job reads channel 3
        float[] input = Samples(samples, fiber, 42);
        var streams = new JobStreams(spec.JobId, 1, 1000, TimeProvider.System);
        Assert.True(streams.TryAttach(0, out var reader));
        using var gate = new ComputeGate(1);
        using var meters = new TestMeterFactory();
        var kernel = LineKernel.Create(new SimdSpectrogramEngine(), spec);
        Assert.True(kernel.LinesPerBatch > 1 || SimdSpectrogramEngine.BestWidth == SimdWidth.Scalar);
        var pipeline = new LinePipeline(spec, streams, new RecordedInput(input, fiber, [700, 1, 2500, 333, 4096]), kernel, gate,
            TimeProvider.System, new StreamInstruments(meters), NullLogger.Instance, TimeProvider.System.GetTimestamp());

        var channel = new float[samples];
        for (int n = 0; n < samples; n++) channel[n] = input[n * fiber + 2];
        float[] expected = ReferenceLines(new SpectrumShape(nfft, 5, 200, 1), channel, hop, lines);

        pipeline.Start();
        var rows = new Dictionary<int, float[]>();
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        var first = -1;
        while (rows.Count < lines)
        {
            var message = await reader.Messages.ReadAsync(timeout.Token);
            Assert.Equal(3, message.StartChannel);
            if (first < 0) first = message.RowIndex[0]; // the input replays the recording from that line's start
            for (int i = 0; i < message.RowIndex.Count; i++)
                rows[message.RowIndex[i] - first] = MemoryMarshal.Cast<byte, float>(message.MainData[i].Span).ToArray();
        }
        await pipeline.StopAsync();

        Assert.Null(pipeline.Fault);
        for (int row = 0; row < lines; row++)
        {
            Assert.True(rows.TryGetValue(row, out var values), $"row {row} missing");
            AssertAgrees(expected.AsSpan(row * 200, 200).ToArray(), values!, $"row {row}");
        }
    }

    /// <summary>A live input replaying a recorded time-major block from the sample the pipeline asks for, in blocks of the given sizes (cycled).</summary>
    private sealed class RecordedInput(float[] samples, int channels, int[] blockSizes) : ILiveJobInput
    {
        public string? Queue => null;
        public DateTimeOffset? LastKeepaliveAt => null;
        public string? Fault => null;
        public ILiveReader Open(long fromSampleIndex) => new Reader(fromSampleIndex, samples, channels, blockSizes);
        public ValueTask DisposeAsync() => ValueTask.CompletedTask;

        private sealed class Reader(long from, float[] samples, int channels, int[] blockSizes) : ILiveReader
        {
            private int _next, _block;

            public async ValueTask<SampleBlock?> ReadAsync(CancellationToken cancellationToken)
            {
                int rows = samples.Length / channels;
                if (_next >= rows)
                {
                    await Task.Delay(Timeout.Infinite, cancellationToken);
                    return null;
                }
                int count = Math.Min(blockSizes[_block++ % blockSizes.Length], rows - _next);
                var block = new SampleBlock(from + _next, 1, channels, count, samples.AsSpan(_next * channels, count * channels).ToArray());
                _next += count;
                return block;
            }

            public ValueTask DisposeAsync() => ValueTask.CompletedTask;
        }
    }

    private sealed class TestMeterFactory : IMeterFactory
    {
        private readonly List<Meter> _meters = [];

        public Meter Create(MeterOptions options)
        {
            var meter = new Meter(options);
            _meters.Add(meter);
            return meter;
        }

        public void Dispose() => _meters.ForEach(m => m.Dispose());
    }
}
