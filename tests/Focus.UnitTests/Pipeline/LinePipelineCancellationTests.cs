using System.Diagnostics.Metrics;
using Focus.Analyzer.Pipeline;
using Focus.Analyzer.Sources;
using Focus.Analyzer.Spectral;
using Focus.Analyzer.Streaming;
using Microsoft.Extensions.Logging.Abstractions;

namespace Focus.UnitTests.Pipeline;

public sealed class LinePipelineCancellationTests
{
    private static readonly TimeSpan Deadline = TimeSpan.FromSeconds(30);

    [Fact]
    public async Task A_job_ending_mid_block_stops_computing_before_the_next_frame()
    {
        // One block of 100,000 samples at hop 1 holds ~99,900 frames; the job ends during the 10th.
        const int stopAt = 10;
        var spec = new PipelineSpec
        {
            JobId = "cancel-1", IsWaterfall = false, ChannelMin = 1, ChannelMax = 1, Prr = 2000, Hop = 1, Nfft = 128,
            FirstBin = 0, BinCount = 65, StreamAmount = 1, StartSampleIndex = 0,
        };
        LinePipeline? pipeline = null;
        var engine = new CountingEngine(calls =>
        {
            if (calls == stopAt) _ = pipeline!.StopAsync(); // cancels at once, then waits for the loop
        });
        var streams = new JobStreams(spec.JobId, 1, 4, TimeProvider.System);
        Assert.True(streams.TryAttach(0, out _));
        using var gate = new ComputeGate(1);
        using var meters = new TestMeterFactory();
        pipeline = new LinePipeline(spec, streams, new OneBlockInput(100_000), LineKernel.Create(engine, spec), gate,
            TimeProvider.System, new StreamInstruments(meters), NullLogger.Instance, TimeProvider.System.GetTimestamp());

        pipeline.Start();
        await pipeline.Completion.WaitAsync(Deadline);

        Assert.Equal(stopAt, engine.Calls);
        Assert.Equal(stopAt, pipeline.KernelCalls);
        Assert.Null(pipeline.Fault); // stopped, not failed
        Assert.Equal(0, pipeline.LinesEmitted); // the unfinished block's lines are not published
    }

    [Fact]
    public async Task A_job_whose_last_reader_leaves_mid_block_stops_computing_before_the_next_frame()
    {
        const int leaveAt = 10;
        var spec = new PipelineSpec
        {
            JobId = "cancel-2", IsWaterfall = false, ChannelMin = 1, ChannelMax = 1, Prr = 2000, Hop = 1, Nfft = 128,
            FirstBin = 0, BinCount = 65, StreamAmount = 1, StartSampleIndex = 0,
        };
        var streams = new JobStreams(spec.JobId, 1, 4, TimeProvider.System);
        Assert.True(streams.TryAttach(0, out var reader));
        var engine = new CountingEngine(calls =>
        {
            if (calls == leaveAt) reader.Dispose();
        });
        using var gate = new ComputeGate(1);
        using var meters = new TestMeterFactory();
        var pipeline = new LinePipeline(spec, streams, new OneBlockInput(100_000), LineKernel.Create(engine, spec), gate,
            TimeProvider.System, new StreamInstruments(meters), NullLogger.Instance, TimeProvider.System.GetTimestamp());

        pipeline.Start();
        var deadline = DateTime.UtcNow + Deadline;
        while (pipeline.LinesEmitted < leaveAt) // the lines computed before the reader left still go out
        {
            Assert.True(DateTime.UtcNow < deadline, $"{leaveAt} lines emitted (emitted {pipeline.LinesEmitted})");
            await Task.Delay(10);
        }
        await pipeline.StopAsync();

        Assert.Equal(leaveAt, engine.Calls);
        Assert.Equal(leaveAt, pipeline.LinesEmitted);
        Assert.Null(pipeline.Fault);
    }

    /// <summary>An input whose reader yields one block starting where the pipeline asks, then nothing until disposed.</summary>
    private sealed class OneBlockInput(int samples) : ILiveJobInput
    {
        public string? Queue => null;
        public DateTimeOffset? LastKeepaliveAt => null;
        public string? Fault => null;
        public ILiveReader Open(long fromSampleIndex) => new Reader(new SampleBlock(fromSampleIndex, 1, 1, samples, new float[samples]));
        public ValueTask DisposeAsync() => ValueTask.CompletedTask;

        private sealed class Reader(SampleBlock block) : ILiveReader
        {
            private bool _given;

            public async ValueTask<SampleBlock?> ReadAsync(CancellationToken cancellationToken)
            {
                if (!_given)
                {
                    _given = true;
                    return block;
                }
                await Task.Delay(Timeout.Infinite, cancellationToken);
                return null;
            }

            public ValueTask DisposeAsync() => ValueTask.CompletedTask;
        }
    }

    private sealed class CountingEngine(Action<int> onCall) : ISpectrogramEngine, ISpectrumKernel
    {
        public int Calls;

        public string Name => "counting";
        public SpectrumShape Shape { get; private set; }

        public ISpectrumKernel CreateSpectrum(SpectrumShape shape)
        {
            Shape = shape;
            return this;
        }

        public IWaterfallKernel CreateWaterfall(WaterfallShape shape) => throw new NotSupportedException();

        public void Compute(ReadOnlySpan<float> frame, Span<float> destination) => onCall(Interlocked.Increment(ref Calls));
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
