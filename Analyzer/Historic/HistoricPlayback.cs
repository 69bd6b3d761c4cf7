using Focus.Analyzer.Pipeline;
using Focus.Analyzer.Streaming;
using Microsoft.Extensions.Logging;

namespace Focus.Analyzer.Historic;

/// <summary>
/// The historic side of one job: every call gets the whole window from its start. Calls that arrive together
/// (within <see cref="JoinWindow"/>, or until every stream has one) share one <see cref="HistoricRun"/>; a later
/// call starts a run of its own, up to <see cref="HistoricOptions.MaxConcurrentReplays"/> runs at once (beyond, the call
/// is refused). Runs compute under the silo's <see cref="ComputeGate"/>, as live jobs do. Counts what the job reports:
/// lines, holes, whether a call reached the end.
/// </summary>
public sealed class HistoricPlayback : IAsyncDisposable
{
    /// <summary>How long a new run waits for the other streams of the same client before it starts.</summary>
    public static readonly TimeSpan JoinWindow = TimeSpan.FromMilliseconds(150);

    /// <summary>Messages a call may have waiting; the run waits for it beyond that.</summary>
    public const int CallBufferMessages = 8;

    private readonly PipelineSpec _spec;
    private readonly LineKernel _kernel;
    private readonly StreamInstruments _instruments;
    private readonly ComputeGate _computeGate;
    private readonly TimeProvider _clock;
    private readonly bool _pace;
    private readonly int _maxRuns;
    private readonly ILogger _logger;
    private readonly Lock _gate = new();
    private readonly CancellationTokenSource _stop = new();
    private readonly List<Task> _runs = [];
    private HistoricRun? _open;
    private long _linesEmitted;
    private long _gaps;
    private long _firstLineAtTicks;
    private int _completed;
    private volatile string? _fault;

    internal HistoricPlayback(PipelineSpec spec, LineKernel kernel, StreamInstruments instruments, ComputeGate computeGate,
        TimeProvider clock, HistoricOptions options, ILogger logger)
    {
        ArgumentNullException.ThrowIfNull(spec.Historic);
        _spec = spec;
        _kernel = kernel;
        _instruments = instruments;
        _computeGate = computeGate;
        _clock = clock;
        _pace = options.Pace;
        _maxRuns = options.MaxConcurrentReplays;
        _logger = logger;
    }

    public long LinesEmitted => Interlocked.Read(ref _linesEmitted);

    public long Gaps => Interlocked.Read(ref _gaps);

    public DateTimeOffset? FirstLineAt =>
        Interlocked.Read(ref _firstLineAtTicks) is var ticks and > 0 ? new DateTimeOffset(ticks, TimeSpan.Zero) : null;

    /// <summary>A call has played the window to its end.</summary>
    public bool Completed => Volatile.Read(ref _completed) != 0;

    public string? Fault => _fault;

    /// <summary>
    /// A new call on <paramref name="streamId"/>: joins the run about to start, or starts one. Throws
    /// <see cref="ReplayLimitExceededException"/> when it would start one run more than the job may run at once.
    /// </summary>
    public HistoricCall Attach(int streamId)
    {
        lock (_gate)
        {
            HistoricRun? run = null;
            var call = new HistoricCall(streamId, CallBufferMessages, c => run?.Leave(c));
            if (_open is { } open && open.TryJoin(call))
            {
                run = open;
                return call;
            }
            _runs.RemoveAll(t => t.IsCompleted);
            if (_runs.Count >= _maxRuns) throw new ReplayLimitExceededException(_maxRuns);
            run = _open = new HistoricRun(_spec, _kernel, this, _computeGate, _clock, _pace, _logger);
            run.TryJoin(call);
            var started = run;
            _runs.Add(Task.Factory.StartNew(() => started.RunAsync(JoinWindow, _stop.Token), CancellationToken.None,
                TaskCreationOptions.LongRunning | TaskCreationOptions.DenyChildAttach, TaskScheduler.Default).Unwrap());
            return call;
        }
    }

    internal void AddLines(int lines)
    {
        Interlocked.Add(ref _linesEmitted, lines);
        if (Interlocked.Read(ref _firstLineAtTicks) == 0) Interlocked.CompareExchange(ref _firstLineAtTicks, _clock.GetUtcNow().UtcTicks, 0);
    }

    /// <summary>A hole a playback jumped over: the job's count and <c>focus_gaps_total</c>, as live gaps are.</summary>
    internal void AddGap()
    {
        Interlocked.Increment(ref _gaps);
        _instruments.Gaps.Add(1);
    }

    internal void MarkCompleted() => Interlocked.Exchange(ref _completed, 1);

    internal void Fail(string reason) => _fault ??= reason;

    /// <summary>Stops every run (their calls end) and waits briefly for them.</summary>
    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        Task[] runs;
        lock (_gate) runs = [.. _runs];
        try
        {
            await Task.WhenAll(runs).WaitAsync(TimeSpan.FromSeconds(1));
        }
        catch (TimeoutException)
        {
            // a run stuck in a read lets go at its next block
        }
    }
}
