using Focus.Analyzer.Pipeline;
using Focus.Analyzer.Sources;
using Focus.Analyzer.Streaming;
using Microsoft.Extensions.Logging;

namespace Focus.Analyzer.Historic;

/// <summary>
/// One playback of a historic window from its start, shared by every call that joined before it computed its first
/// line (a client opening every stream of a MULTICHANNEL job at once, or several clients replaying the job together,
/// get one read of the files and one computation). It reads the recordings in order, computes every frame whose
/// samples are all recorded, and hands each call the lines of its stream with <c>row_index</c> 0, 1, 2, … (holes are
/// jumps in <c>timestamp_in_milis</c> only). It goes as fast as its slowest call reads, or at wall-clock pace when
/// asked; memory is one block, one frame per slice and a few messages per call, whatever the window's length.
/// <para>
/// The job's channels are cut into slices (<see cref="HistoricSlices"/>) that play each block in parallel, each one
/// taking turns of the silo's <see cref="ComputeGate"/> as a pipeline of its own (so the gate bounds the cores a
/// playback takes, and other jobs queue between its slices' turns) and sending its own streams' messages. The next
/// block is read while the current one computes. A slice's channels get the same bits as from one kernel over all
/// channels; row numbers, times and holes are decided once per block by a one-channel frame assembler, so every slice
/// computes the same lines.
/// </para>
/// The run ends when the window is played, the job stops, or the last of its calls leaves (at once, even while it
/// waits for the gate, a read or a slow call).
/// </summary>
internal sealed partial class HistoricRun
{
    /// <summary>Values per message at most (about 1 MiB), so a message stays far below gRPC's 4 MiB.</summary>
    private const int MaxMessageValues = 256 * 1024;

    private readonly PipelineSpec _spec;
    private readonly HistoricPlan _plan;
    private readonly LineKernel[] _kernels;
    private readonly (int Offset, int Channels)[] _slicePlan;
    private readonly HistoricPlayback _owner;
    private readonly ComputeGate _computeGate;
    private readonly TimeProvider _clock;
    private readonly bool _pace;
    private readonly ILogger _logger;
    private readonly Lock _gate = new();
    private readonly List<HistoricCall> _calls = [];
    private readonly TaskCompletionSource _go = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly CancellationTokenSource _abandoned = new();
    private bool _departed; // the first line is computed: a call joining now would miss lines
    private bool _closed;   // every call left, or the run ended

    // The current block, planned once for every slice: frame line, time stamp and row of each of its lines.
    private long[] _lines = new long[64];
    private long[] _stamps = new long[64];
    private int[] _rows = new int[64];
    private int _blockLines;
    private float[] _waterfallLines = [];
    private readonly bool[] _hasCall;
    private int _linesPerMessage;
    private long _startedAt;
    private int _toAppend;                    // slices yet to copy the block out of the reader's buffer
    private Func<SampleBlock?>? _readNext;    // reads the next block, once they all have
    private Task<SampleBlock?>? _next;

    public HistoricRun(PipelineSpec spec, LineKernel[] kernels, (int Offset, int Channels)[] slicePlan, HistoricPlayback owner,
        ComputeGate computeGate, TimeProvider clock, bool pace, ILogger logger)
    {
        _spec = spec;
        _plan = spec.Historic!;
        _kernels = kernels;
        _slicePlan = slicePlan;
        _owner = owner;
        _computeGate = computeGate;
        _clock = clock;
        _pace = pace;
        _logger = logger;
        _hasCall = new bool[spec.StreamAmount];
    }

    /// <summary>Lines of the window: frames starting at FirstSample + r*hop &lt; EndSample.</summary>
    public long LineCount => (_plan.EndSample - _plan.FirstSample + _spec.Hop - 1) / _spec.Hop;

    /// <summary>
    /// Adds a call while the run has computed nothing yet; false once it has (the call would miss the window's first
    /// lines and needs a run of its own) or when every call has left it.
    /// </summary>
    public bool TryJoin(HistoricCall call)
    {
        lock (_gate)
        {
            if (_departed || _closed) return false;
            _calls.Add(call);
            if (_calls.Select(c => c.StreamId).Distinct().Count() == _spec.StreamAmount) _go.TrySetResult();
            return true;
        }
    }

    /// <summary>A call left; the last one to leave stops the run.</summary>
    public void Leave(HistoricCall call)
    {
        bool last;
        lock (_gate)
        {
            _calls.Remove(call);
            last = _calls.Count == 0 && !_closed;
            if (last) _closed = true;
        }
        if (last) _abandoned.Cancel();
    }

    /// <summary>Waits (at most <paramref name="joinWindow"/>, or until every stream has a call) for others, then plays.</summary>
    public async Task RunAsync(TimeSpan joinWindow, CancellationToken stopping)
    {
        using var scope = _logger.BeginScope(new JobLogScope(_spec.JobId));
        using var cancel = CancellationTokenSource.CreateLinkedTokenSource(stopping, _abandoned.Token);
        var token = cancel.Token;
        try
        {
            await _go.Task.WaitAsync(joinWindow, _clock, token).ContinueWith(_ => { }, TaskScheduler.Default);
            token.ThrowIfCancellationRequested();
            var reachedEnd = await PlayAsync(token);
            var calls = Close();
            if (reachedEnd && calls.Any(c => !c.Left)) _owner.MarkCompleted();
            foreach (var call in calls) call.TryComplete();
        }
        catch (OperationCanceledException) when (stopping.IsCancellationRequested)
        {
            foreach (var call in Close()) call.TryComplete(new OperationCanceledException("the job ended"));
        }
        catch (OperationCanceledException) when (_abandoned.IsCancellationRequested)
        {
            // every call left: nobody to tell
        }
        catch (Exception ex)
        {
            LogFault(ex);
            _owner.Fail(ex.Message);
            foreach (var call in Close()) call.TryComplete(ex);
        }
        finally
        {
            Close();
        }
    }

    private HistoricCall[] Close()
    {
        lock (_gate)
        {
            _closed = true;
            return [.. _calls];
        }
    }

    /// <summary>True when the window was played to its end (not left by every call).</summary>
    private async Task<bool> PlayAsync(CancellationToken cancellationToken)
    {
        var hop = _spec.Hop;
        var lineCount = LineCount;
        var frameSamples = _kernels[0].FrameSamples;
        var needEnd = _plan.FirstSample + (lineCount - 1) * hop + frameSamples;
        // The run's messages' lines, reused once their calls have sent them (MessageLease); let go with the run. When a
        // call keeps its messages (a REST pull's buffer), lines are packed into chunks of the garbage collector's instead.
        var linePool = AllCallsSendMessages() ? LineChunkPool.ForLines(_spec.ValuesPerLine) : null;
        var slices = _slicePlan.Select((p, i) => new ChannelSlice(_spec, p.Offset, p.Channels, _kernels[i], linePool)).ToArray();
        _linesPerMessage = Math.Max(1, MaxMessageValues / Math.Max(1, _spec.ValuesPerLine));
        _startedAt = _clock.GetTimestamp();
        var waterfall = _spec.IsWaterfall ? new LineBatch(1, _spec.ValuesPerLine, _spec.NumericJobId, linePool) : null;
        // Lines, rows, times and holes: one channel's frames stand for every slice's (same blocks, same lines).
        var planner = new FrameAssembler(_spec.ChannelMin, 1, frameSamples, hop, _plan.FirstSample);
        var times = new LineTimes(_plan.FirstSample, hop, lineCount);
        var row = 0;
        long lastLine = -1;

        using var failed = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        using var reader = new RecordingBlockReader(_plan, _spec.Prr, _spec.ChannelMin, _spec.ChannelAmount, needEnd, _logger);
        try
        {
            var block = reader.Next(planner.NextLineStart);
            while (block is { } current)
            {
                if (!HasLiveCalls()) return false;
                times.Note(current.FirstSampleIndex, reader.Times);
                planner.Append(current); // a block after a hole restarts the frames there
                _blockLines = 0;
                while (planner.NextLine < lineCount && planner.TryTakeFrame(out _, out var line))
                {
                    if (lastLine >= 0 && line > lastLine + 1) _owner.AddGap();
                    lastLine = line;
                    if (_blockLines == _lines.Length) Grow();
                    _lines[_blockLines] = line;
                    _stamps[_blockLines] = times.Take(line) ?? LineBatch.TimestampMs(_plan.FirstSample + line * hop, _spec.Prr);
                    _rows[_blockLines] = row++;
                    _blockLines++;
                }
                if (Volatile.Read(ref _departed)) SnapshotCalls(); // calls only leave from now on
                if (waterfall is not null && _waterfallLines.Length < _blockLines * _spec.ChannelAmount)
                    _waterfallLines = new float[_blockLines * _spec.ChannelAmount];

                // Every slice plays the block as a pipeline of its own under the gate; the last one to copy its
                // channels out of the reader's buffer starts reading the next block, which is read while this one computes.
                var needFrom = planner.NextLineStart;
                _readNext = planner.NextLine < lineCount ? () => reader.Next(needFrom) : null;
                _toAppend = slices.Length;
                await Task.WhenAll(slices.Select(slice => PlaySliceAsync(slice, current, failed)));
                if (waterfall is not null) await SendWaterfallAsync(waterfall, cancellationToken);

                if (_next is not { } reading) break;
                block = await reading.WaitAsync(cancellationToken);
                _next = null; // (only once it has finished: the reader must outlive its reads)
            }
        }
        finally
        {
            _owner.AddLineChunks(linePool?.Allocated ?? 0);
            // The reader is disposed only once no read is in flight on it.
            if (_next is { } reading)
            {
                _next = null;
                try
                {
                    await reading;
                }
                catch (Exception)
                {
                    // the playback ends anyway; its own failure (if any) is the one reported
                }
            }
        }
        return HasLiveCalls();
    }

    /// <summary>
    /// One slice's share of the current block: appends it, then computes its lines in turns of the compute gate (at
    /// most about 1 MiB of output each, as any pipeline), sending its streams' messages between turns, never
    /// holding the gate while a call is slow to read. A failure stops the other slices.
    /// </summary>
    private async Task PlaySliceAsync(ChannelSlice slice, SampleBlock block, CancellationTokenSource failed)
    {
        try
        {
            var appended = false;
            for (var done = 0; !appended || done < _blockLines;)
            {
                var count = Math.Min(_blockLines - done, slice.LinesPerTurn);
                if (slice.Batch is not null) count = Math.Min(count, _linesPerMessage - slice.Pending);
                using (await _computeGate.EnterAsync(failed.Token))
                {
                    if (!appended)
                    {
                        slice.Frames.Append(block);
                        appended = true;
                        if (Interlocked.Decrement(ref _toAppend) == 0 && _readNext is { } read) _next = Task.Run(read, CancellationToken.None);
                    }
                    if (count > 0) ComputeLines(slice, done, count, failed.Token);
                }
                done += count;
                if (slice.Batch is null) continue;
                slice.Pending += count;
                if (slice.Pending >= _linesPerMessage || (done == _blockLines && slice.Pending > 0))
                {
                    await SendAsync(slice.Batch, slice.Offset, slice.Channels, slice.Offset == 0 ? slice.Pending : 0, _lines[done - 1], failed.Token);
                    slice.Pending = 0;
                }
            }
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            await failed.CancelAsync();
            throw;
        }
    }

    /// <summary>Lines <paramref name="first"/> .. +<paramref name="count"/> of the block's plan, for the slice's channels.</summary>
    private void ComputeLines(ChannelSlice slice, int first, int count, CancellationToken cancellationToken)
    {
        if (!Volatile.Read(ref _departed)) Depart();
        if (slice.Batch is null)
        {
            for (var k = first; k < first + count; k++)
                slice.Kernel.Compute(TakeFrame(slice, k), _waterfallLines.AsSpan(k * _spec.ChannelAmount + slice.Offset, slice.Channels), cancellationToken);
            return;
        }
        var width = slice.Kernel.OutputLength;
        for (var k = first; k < first + count;)
        {
            // A slice narrower than the vector lanes computes consecutive frames together (the plan's lines are
            // consecutive within a block; a hole starts a new block).
            var want = Math.Min(slice.Kernel.LinesPerBatch, first + count - k);
            if (!slice.Frames.TryTakeFrames(want, out var frames, out var line, out var taken) || line != _lines[k])
                throw new InvalidOperationException($"slice at channel offset {slice.Offset} is out of step: line {line} where the plan has {_lines[k]}");
            slice.Kernel.ComputeLines(frames, _spec.Hop, taken, slice.Line, cancellationToken);
            for (var i = 0; i < taken; i++) AddLine(slice, k + i, slice.Line.AsSpan(i * width, width));
            k += taken;
        }
    }

    private ReadOnlySpan<float> TakeFrame(ChannelSlice slice, int k)
    {
        if (!slice.Frames.TryTakeFrame(out var frame, out var line) || line != _lines[k])
            throw new InvalidOperationException($"slice at channel offset {slice.Offset} is out of step: line {line} where the plan has {_lines[k]}");
        return frame;
    }

    /// <summary>The first line to be computed is the run's departure: which streams have a call is fixed then.</summary>
    private void Depart()
    {
        lock (_gate)
        {
            if (_departed) return;
            SnapshotCallsLocked();
            Volatile.Write(ref _departed, true);
        }
    }

    private void SnapshotCalls()
    {
        lock (_gate) SnapshotCallsLocked();
    }

    private void SnapshotCallsLocked()
    {
        Array.Clear(_hasCall);
        foreach (var call in _calls)
            if (!call.Left) _hasCall[call.StreamId] = true;
    }

    private bool AllCallsSendMessages()
    {
        lock (_gate) return _calls.All(c => c.ReleasesMessages);
    }

    private bool HasLiveCalls()
    {
        lock (_gate) return _calls.Any(c => !c.Left);
    }

    private HistoricCall[] Live()
    {
        lock (_gate) return [.. _calls.Where(c => !c.Left)];
    }

    private void Grow()
    {
        Array.Resize(ref _lines, _lines.Length * 2);
        Array.Resize(ref _stamps, _stamps.Length * 2);
        Array.Resize(ref _rows, _rows.Length * 2);
    }

    [LoggerMessage(Level = LogLevel.Error, Message = "Historic playback failed; the job's streams end ABORTED")]
    private partial void LogFault(Exception exception);
}
