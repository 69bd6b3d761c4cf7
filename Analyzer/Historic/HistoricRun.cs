using Focus.Analyzer.Pipeline;
using Focus.Analyzer.Sources;
using Focus.Analyzer.Streaming;
using Focus.Analyzer.Streaming.Protos;
using Microsoft.Extensions.Logging;

namespace Focus.Analyzer.Historic;

/// <summary>
/// One playback of a historic window from its start, shared by the calls that joined before it began (a client
/// opening every stream of a MULTICHANNEL job at once gets one read of the files, not one per stream). It reads
/// the recordings in order, computes every frame whose samples are all recorded, and hands each call the lines
/// of its stream with <c>row_index</c> 0, 1, 2, … (holes are jumps in <c>timestamp_in_milis</c> only). It goes as
/// fast as its slowest call reads, or at wall-clock pace when asked, computing under the silo's compute gate;
/// memory is one block, one frame and a few messages per call, whatever the window's length.
/// </summary>
internal sealed partial class HistoricRun
{
    /// <summary>Values per message at most (about 1 MiB), so a message stays far below gRPC's 4 MiB.</summary>
    private const int MaxMessageValues = 256 * 1024;

    private readonly PipelineSpec _spec;
    private readonly HistoricPlan _plan;
    private readonly LineKernel _kernel;
    private readonly HistoricPlayback _owner;
    private readonly ComputeGate _computeGate;
    private readonly TimeProvider _clock;
    private readonly bool _pace;
    private readonly ILogger _logger;
    private readonly Lock _gate = new();
    private readonly List<HistoricCall> _calls = [];
    private readonly TaskCompletionSource _go = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private bool _started;

    public HistoricRun(PipelineSpec spec, LineKernel kernel, HistoricPlayback owner, ComputeGate computeGate, TimeProvider clock, bool pace, ILogger logger)
    {
        _spec = spec;
        _plan = spec.Historic!;
        _kernel = kernel;
        _owner = owner;
        _computeGate = computeGate;
        _clock = clock;
        _pace = pace;
        _logger = logger;
    }

    /// <summary>Lines of the window: frames starting at FirstSample + r*hop &lt; EndSample.</summary>
    public long LineCount => (_plan.EndSample - _plan.FirstSample + _spec.Hop - 1) / _spec.Hop;

    /// <summary>Adds a call while the run has not begun; false once it has (the call needs a run of its own).</summary>
    public bool TryJoin(HistoricCall call)
    {
        lock (_gate)
        {
            if (_started) return false;
            _calls.Add(call);
            if (_calls.Select(c => c.StreamId).Distinct().Count() == _spec.StreamAmount) _go.TrySetResult();
            return true;
        }
    }

    public void Leave(HistoricCall call)
    {
        lock (_gate) _calls.Remove(call);
    }

    /// <summary>Waits (at most <paramref name="joinWindow"/>, or until every stream has a call) for others, then plays.</summary>
    public async Task RunAsync(TimeSpan joinWindow, CancellationToken cancellationToken)
    {
        using var scope = _logger.BeginScope(new JobLogScope(_spec.JobId));
        HistoricCall[] calls;
        try
        {
            await _go.Task.WaitAsync(joinWindow, _clock, cancellationToken).ContinueWith(_ => { }, TaskScheduler.Default);
            lock (_gate)
            {
                _started = true;
                calls = [.. _calls];
            }
            var reachedEnd = await PlayAsync(cancellationToken);
            if (reachedEnd && calls.Any(c => !c.Left)) _owner.MarkCompleted();
            foreach (var call in calls) call.Writer.TryComplete();
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            lock (_gate) calls = [.. _calls];
            foreach (var call in calls) call.Writer.TryComplete(new OperationCanceledException("the job ended"));
        }
        catch (Exception ex)
        {
            LogFault(ex);
            _owner.Fail(ex.Message);
            lock (_gate) calls = [.. _calls];
            foreach (var call in calls) call.Writer.TryComplete(ex);
        }
    }

    /// <summary>True when the window was played to its end (not left by every call).</summary>
    private async Task<bool> PlayAsync(CancellationToken cancellationToken)
    {
        var hop = _spec.Hop;
        var lineCount = LineCount;
        var needEnd = _plan.FirstSample + (lineCount - 1) * hop + _kernel.FrameSamples;
        var assembler = new FrameAssembler(_spec.ChannelMin, _spec.ChannelAmount, _kernel.FrameSamples, hop, _plan.FirstSample);
        var output = new float[_kernel.OutputLength];
        var batch = new LineBatch(_spec.StreamAmount, _spec.ValuesPerLine, _spec.NumericJobId);
        var linesPerMessage = Math.Max(1, MaxMessageValues / Math.Max(1, _spec.ValuesPerLine));
        var linesPerTurn = Math.Max(1, MaxMessageValues / Math.Max(1, _kernel.OutputLength));
        var startedAt = _clock.GetTimestamp();
        var row = 0;
        var pendingLines = 0;
        long lastLine = -1;
        var times = new LineTimes(_plan.FirstSample, hop, lineCount);

        using var reader = new RecordingBlockReader(_plan, _spec.Prr, _spec.ChannelMin, _spec.ChannelAmount, needEnd, _logger);
        while (reader.Next(assembler.NextLineStart) is { } block)
        {
            if (Live().Length == 0) return false;
            times.Note(block.FirstSampleIndex, reader.Times);
            assembler.Append(block); // a block after a hole restarts the frames there
            bool framesLeft;
            do
            {
                // A turn of the gate computes at most about 1 MiB of output (every channel's line), and is never held
                // while a call is slow to read: other jobs, live ones first, get their turns in between.
                var computed = 0;
                using (await _computeGate.EnterAsync(cancellationToken))
                {
                    while (pendingLines < linesPerMessage && computed < linesPerTurn && assembler.NextLine < lineCount
                           && assembler.TryTakeFrame(out var frame, out var line))
                    {
                        if (lastLine >= 0 && line > lastLine + 1) _owner.AddGap();
                        lastLine = line;
                        _kernel.Compute(frame, output);
                        AddLine(line, times.Take(line), row++, output, batch);
                        pendingLines++;
                        computed++;
                    }
                }
                framesLeft = pendingLines >= linesPerMessage || computed >= linesPerTurn; // else the block has no complete frame left
                if (pendingLines >= linesPerMessage)
                {
                    await FlushAsync(batch, pendingLines, lastLine, startedAt, cancellationToken);
                    pendingLines = 0;
                }
            }
            while (framesLeft);
            if (pendingLines > 0)
            {
                await FlushAsync(batch, pendingLines, lastLine, startedAt, cancellationToken);
                pendingLines = 0;
            }
            if (assembler.NextLine >= lineCount) break;
        }
        return Live().Length > 0;
    }

    private HistoricCall[] Live()
    {
        lock (_gate) return [.. _calls.Where(c => !c.Left)];
    }

    /// <summary>Adds a line stamped with its first sample's recorded time (the grid's time only when none was read).</summary>
    private void AddLine(long line, long? recordedMs, int row, float[] output, LineBatch batch)
    {
        var values = _spec.ValuesPerLine;
        var timestamp = recordedMs ?? LineBatch.TimestampMs(_plan.FirstSample + line * _spec.Hop, _spec.Prr);
        for (var stream = 0; stream < batch.Streams; stream++)
        {
            if (!batch.IsOpen(stream))
            {
                if (!HasCall(stream)) continue;
                var (first, last) = _spec.IsWaterfall ? (_spec.ChannelMin, _spec.ChannelMax) : (_spec.ChannelMin + stream, _spec.ChannelMin + stream);
                batch.Open(stream, first, last);
            }
            batch.Add(stream, timestamp, row, output.AsSpan(stream * values, values));
        }
    }

    private bool HasCall(int stream)
    {
        lock (_gate)
            foreach (var call in _calls)
                if (call.StreamId == stream && !call.Left) return true;
        return false;
    }

    private async Task FlushAsync(LineBatch batch, int lines, long lastLine, long startedAt, CancellationToken cancellationToken)
    {
        if (_pace)
        {
            // Wall-clock pace: the line at window offset t goes out t after the run began.
            var due = TimeSpan.FromSeconds((double)lastLine * _spec.Hop / _spec.Prr) - _clock.GetElapsedTime(startedAt);
            if (due > TimeSpan.Zero) await Task.Delay(due, _clock, cancellationToken);
        }
        for (var stream = 0; stream < batch.Streams; stream++)
        {
            while (batch.Take(stream) is { } message) // split under LineBatch.MaxMessageBytes
            {
                foreach (var call in Live())
                {
                    if (call.StreamId != stream) continue;
                    try
                    {
                        await call.Writer.WriteAsync(message, cancellationToken); // waits for a slow call: nothing is dropped
                    }
                    catch (System.Threading.Channels.ChannelClosedException)
                    {
                        // the call left
                    }
                }
            }
        }
        _owner.AddLines(lines);
    }

    [LoggerMessage(Level = LogLevel.Error, Message = "Historic playback failed; the job's streams end ABORTED")]
    private partial void LogFault(Exception exception);
}
