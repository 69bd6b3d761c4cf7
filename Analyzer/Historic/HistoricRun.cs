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
/// block is read while the current one computes, as soon as every slice has copied its channels out of the reader's
/// buffer; a slice goes on to it once it has played its previous block, without waiting for the others to finish
/// theirs (issue 15: a core idled at every block's end while the last slice's turn ran). A slice's channels get the
/// same bits as from one kernel over all channels; row numbers, times and holes are decided once per block by a
/// one-channel frame assembler (<see cref="BlockPlan"/>), so every slice computes the same lines. WATERFALL's line
/// gathers every slice's channels, so its blocks end together.
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

    private float[] _waterfallLines = [];
    private bool[] _hasCall;                  // replaced, never changed: slices read it while the next block is planned
    private int _linesPerMessage;
    private long _startedAt;
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
        var playing = slices.Select(_ => Task.CompletedTask).ToArray(); // each slice's play of its latest block
        using var reader = new RecordingBlockReader(_plan, _spec.Prr, _spec.ChannelMin, _spec.ChannelAmount, needEnd, _logger);
        try
        {
            var block = reader.Next(planner.NextLineStart);
            while (block is { } current)
            {
                if (!HasLiveCalls()) return false;
                times.Note(current.FirstSampleIndex, reader.Times);
                planner.Append(current); // a block after a hole restarts the frames there
                var blockPlan = new BlockPlan();
                while (planner.NextLine < lineCount && planner.TryTakeFrame(out _, out var line))
                {
                    if (lastLine >= 0 && line > lastLine + 1) _owner.AddGap();
                    lastLine = line;
                    blockPlan.Add(line, times.Take(line) ?? LineBatch.TimestampMs(_plan.FirstSample + line * hop, _spec.Prr), row++);
                }
                if (Volatile.Read(ref _departed)) SnapshotCalls(); // calls only leave from now on
                if (waterfall is not null && _waterfallLines.Length < blockPlan.Count * _spec.ChannelAmount)
                    _waterfallLines = new float[blockPlan.Count * _spec.ChannelAmount];

                // Every slice plays the block as a pipeline of its own under the gate, as soon as it has played the
                // previous one (no slice waits for the others at a block's end). Once every slice has copied its
                // channels out of the reader's buffer, the next block is read while this one computes.
                var appended = new TaskCompletionSource[slices.Length];
                for (var i = 0; i < slices.Length; i++)
                {
                    appended[i] = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
                    playing[i] = PlayAfterAsync(playing[i], slices[i], current, blockPlan, appended[i], failed);
                }
                await Task.WhenAll(appended.Select(a => a.Task));
                var needFrom = planner.NextLineStart;
                _next = planner.NextLine < lineCount ? Task.Run(() => reader.Next(needFrom), CancellationToken.None) : null;
                if (waterfall is not null)
                {
                    // WATERFALL's one line gathers every slice's channels: the block is sent once all have computed it.
                    await Task.WhenAll(playing);
                    await SendWaterfallAsync(waterfall, blockPlan, cancellationToken);
                }

                if (_next is not { } reading) break;
                block = await reading.WaitAsync(cancellationToken);
                _next = null; // (only once it has finished: the reader must outlive its reads)
            }
            await Task.WhenAll(playing);
        }
        finally
        {
            // No slice computes once the run is over (its batches, and the reader's buffer, go with it).
            try
            {
                await Task.WhenAll(playing);
            }
            catch (Exception)
            {
                // the failure (if any) is the one the run reports
            }
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

    /// <summary>The slice's play of <paramref name="block"/> once it has played its previous one (<paramref name="previous"/>).</summary>
    private async Task PlayAfterAsync(Task previous, ChannelSlice slice, SampleBlock block, BlockPlan plan, TaskCompletionSource appended,
        CancellationTokenSource failed)
    {
        try
        {
            // Always on a thread of the pool: when the slice's previous block is already played, awaiting it would run
            // this block's first compute turn inline on the run's loop, which then computes every slice in turn (measured:
            // 1.2 of 2 cores used, the loop busy computing instead of reading ahead).
            await previous.ConfigureAwait(ConfigureAwaitOptions.ForceYielding);
            await PlaySliceAsync(slice, block, plan, appended, failed);
        }
        catch (OperationCanceledException)
        {
            appended.TrySetCanceled();
            throw;
        }
        catch (Exception ex)
        {
            appended.TrySetException(ex); // (the same failure again when the slice's previous block failed)
            throw;
        }
    }

    /// <summary>
    /// One slice's share of a block: appends it (then tells <paramref name="appended"/>), then computes its lines in
    /// turns of the compute gate (at most about 1 MiB of output each, as any pipeline), sending its streams' messages
    /// between turns, never holding the gate while a call is slow to read. A failure stops the other slices.
    /// </summary>
    private async Task PlaySliceAsync(ChannelSlice slice, SampleBlock block, BlockPlan plan, TaskCompletionSource appended,
        CancellationTokenSource failed)
    {
        try
        {
            var isAppended = false;
            for (var done = 0; !isAppended || done < plan.Count;)
            {
                var count = Math.Min(plan.Count - done, slice.LinesPerTurn);
                if (slice.Batch is not null) count = Math.Min(count, _linesPerMessage - slice.Pending);
                using (await _computeGate.EnterAsync(failed.Token))
                {
                    if (!isAppended)
                    {
                        slice.Frames.Append(block);
                        isAppended = true;
                        appended.TrySetResult();
                    }
                    if (count > 0) ComputeLines(slice, plan, done, count, failed.Token);
                }
                done += count;
                if (slice.Batch is null) continue;
                slice.Pending += count;
                if (slice.Pending >= _linesPerMessage || (done == plan.Count && slice.Pending > 0))
                {
                    await SendAsync(slice.Batch, slice.Offset, slice.Channels, slice.Offset == 0 ? slice.Pending : 0, plan.Line(done - 1), failed.Token);
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
    private void ComputeLines(ChannelSlice slice, BlockPlan plan, int first, int count, CancellationToken cancellationToken)
    {
        if (!Volatile.Read(ref _departed)) Depart();
        if (slice.Batch is null)
        {
            for (var k = first; k < first + count; k++)
                slice.Kernel.Compute(TakeFrame(slice, plan, k), _waterfallLines.AsSpan(k * _spec.ChannelAmount + slice.Offset, slice.Channels), cancellationToken);
            return;
        }
        var width = slice.Kernel.OutputLength;
        for (var k = first; k < first + count;)
        {
            // A slice narrower than the vector lanes computes consecutive frames together (the plan's lines are
            // consecutive within a block; a hole starts a new block).
            var want = Math.Min(slice.Kernel.LinesPerBatch, first + count - k);
            if (!slice.Frames.TryTakeFrames(want, out var frames, out var line, out var taken) || line != plan.Line(k))
                throw new InvalidOperationException($"slice at channel offset {slice.Offset} is out of step: line {line} where the plan has {plan.Line(k)}");
            slice.Kernel.ComputeLines(frames, _spec.Hop, taken, slice.Line, cancellationToken);
            for (var i = 0; i < taken; i++) AddLine(slice, plan, k + i, slice.Line.AsSpan(i * width, width));
            k += taken;
        }
    }

    private static ReadOnlySpan<float> TakeFrame(ChannelSlice slice, BlockPlan plan, int k)
    {
        if (!slice.Frames.TryTakeFrame(out var frame, out var line) || line != plan.Line(k))
            throw new InvalidOperationException($"slice at channel offset {slice.Offset} is out of step: line {line} where the plan has {plan.Line(k)}");
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
        var hasCall = new bool[_spec.StreamAmount];
        foreach (var call in _calls)
            if (!call.Left) hasCall[call.StreamId] = true;
        Volatile.Write(ref _hasCall, hasCall);
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

    [LoggerMessage(Level = LogLevel.Error, Message = "Historic playback failed; the job's streams end ABORTED")]
    private partial void LogFault(Exception exception);
}
