using Focus.Analyzer.Sources;
using Focus.Analyzer.Streaming;
using Focus.Analyzer.Streaming.Protos;
using Microsoft.Extensions.Logging;

namespace Focus.Analyzer.Pipeline;

/// <summary>
/// One live job's compute loop, on its own long-running task outside any grain scheduler. While nobody
/// reads it waits and holds no input; while someone does it reads the live source from the newest line
/// it can complete, computes every complete frame and publishes the lines of each input block as one
/// message per read stream.
/// </summary>
internal sealed partial class LinePipeline
{
    private static readonly TimeSpan StopWait = TimeSpan.FromSeconds(1);
    private static readonly TimeSpan NoiseLogInterval = TimeSpan.FromSeconds(10);
    private static readonly TimeSpan MaxLag = TimeSpan.FromSeconds(2);

    private readonly PipelineSpec _spec;
    private readonly JobStreams _streams;
    private readonly ILiveJobInput _input;
    private readonly ComputeGate _computeGate;
    private readonly long _maxLagSamples;
    private readonly LineKernel _kernel;
    private readonly TimeProvider _clock;
    private readonly StreamInstruments _instruments;
    private readonly ILogger _logger;
    private readonly long _startedAt;
    private readonly bool _heavy; // no core computes it in real time: it never holds every compute slot
    private FrameAssembler _assembler;
    private int _channelMin; // moves when a RegionOfInterestCommand moves the job (same width)
    private readonly LineBatch _batch;
    private readonly CancellationTokenSource _stop = new();
    private float[] _output = [];
    private Task _run = Task.CompletedTask;
    private long _nextRow; // no row is ever published twice
    private long _linesEmitted;
    private long _gaps;
    private long _catchUps;
    private long _lastNoiseLog;
    private long _kernelCalls;
    private long _firstLineAtTicks;
    private volatile string? _fault;
    private readonly System.Diagnostics.ActivityContext _startTrace = System.Diagnostics.Activity.Current?.Context ?? default;

    public LinePipeline(PipelineSpec spec, JobStreams streams, ILiveJobInput input, LineKernel kernel, ComputeGate computeGate,
        TimeProvider clock, StreamInstruments instruments, ILogger logger, long startedAt)
    {
        _spec = spec;
        _streams = streams;
        _input = input;
        _computeGate = computeGate;
        // Behind by more than a frame plus a hop plus this much wall time, a job skips to the newest data.
        _maxLagSamples = spec.Nfft + spec.Hop + (long)Math.Ceiling(MaxLag.TotalSeconds * spec.Prr);
        _heavy = ComputeGate.IsHeavy(spec.FftSamplesPerSecond);
        _kernel = kernel;
        _clock = clock;
        _instruments = instruments;
        _logger = logger;
        _startedAt = startedAt;
        _channelMin = spec.ChannelMin;
        _assembler = new FrameAssembler(spec.ChannelMin, spec.ChannelAmount, kernel.FrameSamples, spec.Hop, spec.StartSampleIndex);
        _batch = new LineBatch(spec.StreamAmount, spec.ValuesPerLine, spec.NumericJobId);
    }

    public long LinesEmitted => Interlocked.Read(ref _linesEmitted);

    public long Gaps => Interlocked.Read(ref _gaps);

    /// <summary>Times the job fell too far behind live and skipped to the newest data.</summary>
    public long CatchUps => Interlocked.Read(ref _catchUps);

    /// <summary>Frames computed (kernel calls).</summary>
    public long KernelCalls => Interlocked.Read(ref _kernelCalls);

    public DateTimeOffset? FirstLineAt =>
        Interlocked.Read(ref _firstLineAtTicks) is var ticks and > 0 ? new DateTimeOffset(ticks, TimeSpan.Zero) : null;

    public string? Fault => _fault;

    /// <summary>Completes when the loop has ended (stopped or faulted).</summary>
    public Task Completion => _run;

    public void Start()
    {
        // The loop lives as long as the job: it must not run inside the start's span (nor make its spans children of
        // it). It awaits its input, so a dedicated (LongRunning) thread would be given up at its first await: the pool runs it.
        var ambient = System.Diagnostics.Activity.Current;
        System.Diagnostics.Activity.Current = null;
        try
        {
            _run = Task.Run(() => RunAsync(_stop.Token), CancellationToken.None);
        }
        finally
        {
            System.Diagnostics.Activity.Current = ambient;
        }
    }

    /// <summary>Stops the loop and waits (about a second at most) for it to let go of its input.</summary>
    public async Task StopAsync()
    {
        _stop.Cancel();
        try
        {
            await _run.WaitAsync(StopWait);
        }
        catch (TimeoutException)
        {
            LogSlowStop(StopWait);
        }
    }

    private async Task RunAsync(CancellationToken cancellationToken)
    {
        using var scope = _logger.BeginScope(new JobLogScope(_spec.JobId));
        try
        {
            while (true)
            {
                await _streams.WaitForReaderAsync(cancellationToken);
                await RunWhileReadAsync(cancellationToken);
            }
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            // stopped
        }
        catch (Exception ex)
        {
            _fault = ex.Message;
            LogFault(ex);
            _streams.Complete(new JobEnd(JobEndKind.Failed, $"analyzer pipeline failed: {ex.Message}"));
        }
    }

    /// <summary>Reads and computes from the newest completable line until no reader is left.</summary>
    private async Task RunWhileReadAsync(CancellationToken cancellationToken)
    {
        var reader = OpenFromNewestLine();
        try
        {
            _output = new float[_kernel.OutputLength * _kernel.LinesPerBatch];
            while (_streams.ReaderCount > 0)
            {
                var block = await reader.ReadAsync(cancellationToken)
                    ?? throw new InvalidOperationException("the live input ended");
                if (LagSamples(block) > _maxLagSamples)
                {
                    // Live prefers the newest data: a job that fell behind (an overloaded host) jumps to
                    // now instead of computing stale lines; readers see the jump in row_index.
                    Interlocked.Increment(ref _catchUps);
                    if (ShouldLogNoise()) LogCaughtUp(LagSamples(block) / _spec.Prr, Interlocked.Read(ref _catchUps));
                    var behind = reader;
                    reader = null;
                    await behind.DisposeAsync();
                    reader = OpenFromNewestLine();
                    continue;
                }
                using (await _computeGate.EnterAsync(cancellationToken, _heavy))
                    Process(block, cancellationToken);
            }
            LogIdle(_nextRow);
        }
        finally
        {
            if (reader is not null) await reader.DisposeAsync();
            _assembler.Reset(_nextRow, releaseBuffer: true);
            _output = [];
        }
    }

    private ILiveReader OpenFromNewestLine()
    {
        var newest = _assembler.LastLineEndingBy(NowSampleIndex());
        _assembler.Reset(Math.Max(newest, _nextRow));
        var from = _assembler.NextLineStart;
        LogReading(_assembler.NextLine, from);
        return _input.Open(from);
    }

    /// <summary>Samples between the end of <paramref name="block"/> and now.</summary>
    private long LagSamples(SampleBlock block) => NowSampleIndex() - (block.FirstSampleIndex + block.SampleCount);

    /// <summary>At most one noisy warning (gaps, catch-ups) per job every few seconds; the counters have them all.</summary>
    private bool ShouldLogNoise()
    {
        var now = _clock.GetTimestamp();
        if (_lastNoiseLog != 0 && _clock.GetElapsedTime(_lastNoiseLog, now) < NoiseLogInterval) return false;
        _lastNoiseLog = now;
        return true;
    }

    /// <summary>
    /// Computes the block's complete frames. A wide job's block can be seconds of compute, so a job ending mid-block
    /// stops before the next frame, or within a wide frame between blocks of channels (publishing none of the
    /// block's lines), and so does a job whose last reader left (an unread job does no spectral work; the lines
    /// computed so far go out). A narrow job's frames are computed a batch at a time (consecutive frames in the
    /// engine's vector lanes, <see cref="LineKernel.LinesPerBatch"/>); a wide job's one at a time.
    /// </summary>
    private void Process(SampleBlock block, CancellationToken cancellationToken)
    {
        if (block.FirstChannel != _channelMin && block.ChannelCount == _spec.ChannelAmount)
        {
            // The input moved to other channels of the same width: continue there, after the last line published.
            _channelMin = block.FirstChannel;
            _assembler = new FrameAssembler(_channelMin, _spec.ChannelAmount, _kernel.FrameSamples, _spec.Hop, _spec.StartSampleIndex);
            _assembler.Reset(_nextRow);
        }
        if (_assembler.Append(block))
        {
            Interlocked.Increment(ref _gaps);
            _instruments.Gaps.Add(1);
            if (ShouldLogNoise()) LogGap(block.FirstSampleIndex, _assembler.NextLine, Interlocked.Read(ref _gaps));
        }

        var lines = 0;
        var batch = _kernel.LinesPerBatch;
        while (_assembler.TryTakeFrames(batch, out var frames, out var first, out var count))
        {
            cancellationToken.ThrowIfCancellationRequested();
            if (_streams.ReaderCount == 0) break;
            if (count == 1) _kernel.Compute(frames, _output, cancellationToken);
            else _kernel.ComputeLines(frames, _spec.Hop, count, _output, cancellationToken);
            Interlocked.Add(ref _kernelCalls, count);
            for (var i = 0; i < count; i++) AddLine(first + i, i * _kernel.OutputLength);
            lines += count;
        }
        if (lines > 0) Flush(lines);
    }

    /// <summary>Adds the line whose values start at <paramref name="offset"/> in the output.</summary>
    private void AddLine(long line, int offset)
    {
        var values = _spec.ValuesPerLine;
        var timestamp = LineBatch.TimestampMs(_spec.StartSampleIndex + line * _spec.Hop, _spec.Prr);
        for (var stream = 0; stream < _batch.Streams; stream++)
        {
            if (!_batch.IsOpen(stream))
            {
                if (!_streams.HasReaders(stream)) continue; // nobody to send it to
                var (first, last) = _spec.IsWaterfall
                    ? (_channelMin, _channelMin + _spec.ChannelAmount - 1)
                    : (_channelMin + stream, _channelMin + stream);
                _batch.Open(stream, first, last);
            }
            _batch.Add(stream, timestamp, unchecked((int)line), _output.AsSpan(offset + stream * values, values));
        }
        _nextRow = line + 1;
    }

    private void Flush(int lines)
    {
        for (var stream = 0; stream < _batch.Streams; stream++)
            while (_batch.Take(stream) is { } message) // a batch of wide lines is several messages under 1 MiB
                _streams.Publish(stream, message);
        Interlocked.Add(ref _linesEmitted, lines);
        _instruments.LinesEmitted.Add(lines);
        if (Interlocked.Read(ref _firstLineAtTicks) == 0)
        {
            Interlocked.Exchange(ref _firstLineAtTicks, _clock.GetUtcNow().UtcTicks);
            var elapsed = _clock.GetElapsedTime(_startedAt);
            var seconds = elapsed.TotalSeconds;
            _instruments.TimeToFirstFrame.Record(seconds);
            // From the data plane's start to its first line, in the trace of the job's start.
            if (_startTrace != default)
                Focus.Telemetry.FocusTracing.Completed("focus.job.first_line", elapsed, _startTrace, ("focus.job_id", _spec.JobId));
            LogFirstLine(seconds);
        }
    }

    private long NowSampleIndex() => (long)Math.Floor(_clock.GetUtcNow().ToUnixTimeMilliseconds() * _spec.Prr / 1000.0);
}
