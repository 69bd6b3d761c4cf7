using System.Collections.Concurrent;
using Focus.Analyzer.Pipeline;
using Focus.Analyzer.Spectral;
using Focus.Analyzer.Streaming;
using Microsoft.Extensions.Logging;

namespace Focus.Analyzer.Historic;

/// <summary>
/// The historic side of one job: every call gets the whole window from its start (CONTRACT §2). Calls share a
/// <see cref="HistoricRun"/> as long as it has computed nothing yet: it waits <see cref="JoinWindow"/> (or until every
/// stream has a call) for the others, and whoever arrives before its first line joins too, so a client's calls, and
/// replays that arrive together, are one playback. A call after that needs the window from its start again, so it
/// starts a run of its own, up to <see cref="HistoricOptions.MaxConcurrentReplays"/> runs at once (beyond, the call is
/// refused). Runs compute under the silo's <see cref="ComputeGate"/>, as live jobs do, in parallel slices of the job's
/// channels (<see cref="HistoricSlices"/>); each run has its own kernels (a kernel serves one thread at a time).
/// Counts what the job reports: lines, holes, whether a call reached the end, and the runs it started.
/// </summary>
public sealed class HistoricPlayback : IAsyncDisposable
{
    /// <summary>How long a new run waits for the other streams of the same client before it starts.</summary>
    public static readonly TimeSpan JoinWindow = TimeSpan.FromMilliseconds(150);

    /// <summary>Messages a call may have waiting; the run waits for it beyond that.</summary>
    public const int CallBufferMessages = 8;

    private readonly PipelineSpec _spec;
    private readonly ISpectrogramEngine _engine;
    private readonly (int Offset, int Channels)[] _slices;
    private readonly ConcurrentBag<LineKernel[]> _kernels = [];
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
    private long _runsStarted;
    private int _runsActive;
    private int _callsAttached;
    private int _completed;
    private volatile string? _fault;

    /// <param name="maxSlices">
    /// Slices a run's channels are cut into (default: two per slot of the gate, so a worker that is descheduled on a
    /// busy machine leaves work the others take); 1 computes every channel in one kernel, the sequential path.
    /// </param>
    internal HistoricPlayback(PipelineSpec spec, ISpectrogramEngine engine, StreamInstruments instruments, ComputeGate computeGate,
        TimeProvider clock, HistoricOptions options, ILogger logger, int? maxSlices = null)
    {
        ArgumentNullException.ThrowIfNull(spec.Historic);
        _spec = spec;
        _engine = engine;
        _slices = HistoricSlices.Plan(spec.ChannelAmount, maxSlices ?? 2 * computeGate.Concurrency);
        _kernels.Add(HistoricSlices.CreateKernels(engine, spec, _slices)); // the shape is checked when the job starts
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

    /// <summary>Slices a run computes in parallel.</summary>
    public int Slices => _slices.Length;

    /// <summary>Runs (playbacks of the window) started since the job began.</summary>
    public long PlaybacksStarted => Interlocked.Read(ref _runsStarted);

    /// <summary>Runs playing now (or about to start).</summary>
    public int PlaybacksRunning => Volatile.Read(ref _runsActive);

    /// <summary>Calls attached to a run now.</summary>
    public int CallsAttached => Volatile.Read(ref _callsAttached);

    /// <summary>
    /// A new call on <paramref name="streamId"/>: joins the run that has not computed its first line yet, or starts
    /// one. Throws <see cref="ReplayLimitExceededException"/> when it would start one run more than the job may run at once.
    /// </summary>
    public HistoricCall Attach(int streamId) => Attach(streamId, releasesMessages: false);

    /// <inheritdoc cref="Attach(int)"/>
    /// <param name="streamId">The call's stream.</param>
    /// <param name="releasesMessages">The reader tells <see cref="HistoricCall.Sent"/> when done with each message (a gRPC call).</param>
    public HistoricCall Attach(int streamId, bool releasesMessages)
    {
        lock (_gate)
        {
            HistoricRun? run = null;
            var call = new HistoricCall(streamId, CallBufferMessages, releasesMessages, c =>
            {
                Interlocked.Decrement(ref _callsAttached);
                run?.Leave(c);
            });
            if (_open is { } open && open.TryJoin(call))
            {
                run = open;
                Interlocked.Increment(ref _callsAttached);
                return call;
            }
            _runs.RemoveAll(t => t.IsCompleted);
            if (_runs.Count >= _maxRuns) throw new ReplayLimitExceededException(_maxRuns);
            var kernels = _kernels.TryTake(out var idle) ? idle : HistoricSlices.CreateKernels(_engine, _spec, _slices);
            run = _open = new HistoricRun(_spec, kernels, _slices, this, _computeGate, _clock, _pace, _logger);
            run.TryJoin(call);
            Interlocked.Increment(ref _callsAttached);
            Interlocked.Increment(ref _runsStarted);
            Interlocked.Increment(ref _runsActive);
            var started = run;
            _runs.Add(Task.Run(async () =>
            {
                try
                {
                    await started.RunAsync(JoinWindow, _stop.Token);
                }
                finally
                {
                    _kernels.Add(kernels); // for the next run: a kernel serves one run at a time
                    Interlocked.Decrement(ref _runsActive);
                }
            }, CancellationToken.None));
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

    /// <summary>Chunks of line values the finished runs allocated (the rest of their lines reused chunks their calls had sent).</summary>
    internal long LineChunksAllocated => Interlocked.Read(ref _lineChunks);
    private long _lineChunks;

    internal void AddLineChunks(int chunks) => Interlocked.Add(ref _lineChunks, chunks);

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
