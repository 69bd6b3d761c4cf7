using System.Diagnostics;
using Microsoft.Extensions.Logging;

namespace Focus.Analyzer.Launcher;

/// <summary>
/// The warm spares of <see cref="ProcessAnalyzerHost"/>: <see cref="AnalyzerHostOptions.SpareProcesses"/> analyzer
/// processes started ahead of need (<c>--spare</c>), which warm up and then wait on stdin for a job. A job takes a ready
/// one (<see cref="TryTake"/>), else the one still warming up (it is further along than a process started now: it
/// stops warming and starts the job), and the next one is started once that job has started (<see cref="Replenish"/>),
/// so the next spare's warm-up does not compete with the job's start. One spare warms at a time. A spare that exits, fails or
/// is not ready in time is reaped and replaced after a delay that doubles while spares keep dying (from
/// <see cref="AnalyzerHostOptions.RestartDelay"/>, at least 0.25 s, up to 30 s) and resets when a job takes one: no
/// restart storm. Spares are children of the silo like jobs' processes: never orphaned, killed and reaped at dispose.
/// </summary>
internal sealed partial class AnalyzerSpares : IAsyncDisposable
{
    private static readonly TimeSpan MinDelay = TimeSpan.FromMilliseconds(250);
    private static readonly TimeSpan MaxDelay = TimeSpan.FromSeconds(30);

    private readonly Func<ProcessStartInfo> _startInfo;
    private readonly AnalyzerHostOptions _options;
    private readonly ILoggerFactory _loggers;
    private readonly ILogger _logger;
    private readonly Lock _gate = new();
    private readonly List<AnalyzerProcess> _ready = [];     // oldest first
    private readonly HashSet<AnalyzerProcess> _alive = [];  // warming and ready
    private (AnalyzerProcess Spare, TaskCompletionSource Taken)? _warming; // the one warming up now
    private readonly SemaphoreSlim _wake = new(0);
    private readonly CancellationTokenSource _stopping = new();
    private Task _keeping = Task.CompletedTask;
    private Task? _disposed;
    private bool _started;
    private int _failures; // spares that died in a row (under _gate)

    public AnalyzerSpares(Func<ProcessStartInfo> startInfo, AnalyzerHostOptions options, ILoggerFactory loggers)
    {
        _startInfo = startInfo;
        _options = options;
        _loggers = loggers;
        _logger = loggers.CreateLogger<AnalyzerSpares>();
    }

    /// <summary>Spare processes alive now (warming or ready).</summary>
    public int Count
    {
        get { lock (_gate) return _alive.Count; }
    }

    /// <summary>Spares ready to take a job now.</summary>
    public int ReadyCount
    {
        get { lock (_gate) return _ready.Count; }
    }

    /// <summary>Starts keeping the spares (idempotent; nothing when <see cref="AnalyzerHostOptions.SpareProcesses"/> is 0).</summary>
    public void Start()
    {
        if (_options.SpareProcesses == 0) return;
        lock (_gate)
        {
            if (_started || _stopping.IsCancellationRequested) return;
            _started = true;
            _keeping = Task.Run(KeepAsync);
        }
    }

    /// <summary>
    /// The oldest ready spare, else the one warming up, now no longer a spare (the caller owns it); null when there is
    /// none.
    /// </summary>
    public AnalyzerProcess? TryTake()
    {
        Start(); // a host used before any hosted service started it
        lock (_gate)
        {
            if (_stopping.IsCancellationRequested) return null;
            while (_ready.Count > 0)
            {
                var spare = _ready[0];
                _ready.RemoveAt(0);
                _alive.Remove(spare);
                if (spare.HasExited) continue; // its watch reaps it
                _failures = 0;
                return spare;
            }
            if (_warming is { } warming && !warming.Spare.HasExited)
            {
                _alive.Remove(warming.Spare);
                _warming = null;
                warming.Taken.TrySetResult();
                return warming.Spare;
            }
        }
        return null;
    }

    /// <summary>Lets the pool start a spare for one that was taken (called once the taking job has started).</summary>
    public void Replenish()
    {
        if (!_stopping.IsCancellationRequested) _wake.Release();
    }

    private async Task KeepAsync()
    {
        var stopping = _stopping.Token;
        try
        {
            while (!stopping.IsCancellationRequested)
            {
                if (Count >= _options.SpareProcesses)
                {
                    await _wake.WaitAsync(stopping);
                    continue;
                }
                int failures;
                lock (_gate) failures = _failures;
                if (failures > 0)
                {
                    var delay = Backoff(failures);
                    LogBackingOff(failures, delay);
                    await Task.Delay(delay, stopping);
                }
                await StartOneAsync(stopping);
            }
        }
        catch (OperationCanceledException) when (stopping.IsCancellationRequested)
        {
            // disposing: it kills what is alive
        }
        catch (Exception ex)
        {
            LogKeepingFailed(ex);
        }
    }

    private async Task StartOneAsync(CancellationToken stopping)
    {
        AnalyzerProcess spare;
        try
        {
            spare = await AnalyzerProcess.StartSpareAsync(_startInfo(), _loggers);
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            lock (_gate) _failures++;
            LogSpareFailed(0, ex.Message);
            return;
        }
        var taken = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        lock (_gate)
        {
            _alive.Add(spare); // from here disposing kills it
            _warming = (spare, taken);
        }
        var limit = _options.StartTimeout + AnalyzerWarmup.Limit;
        var timedOut = false;
        try
        {
            await Task.WhenAny(spare.Ready, taken.Task).WaitAsync(limit, stopping);
        }
        catch (TimeoutException)
        {
            timedOut = true;
        }
        lock (_gate)
        {
            if (taken.Task.IsCompleted) return; // a job took it while it warmed up: the job's now
            _warming = null;
        }
        string problem;
        try
        {
            var answer = timedOut ? null : await spare.Ready;
            if (answer is { Event: LauncherEvent.Ready })
            {
                lock (_gate) _ready.Add(spare);
                LogReady(spare.Pid, answer.WarmupSeconds ?? 0);
                _ = Task.Run(() => WatchAsync(spare));
                return;
            }
            problem = answer is null ? $"not ready within {limit}" : $"{answer.Failure}: {answer.Message}";
        }
        catch (AnalyzerProcessExitedException ex)
        {
            problem = ex.Message;
        }
        lock (_gate)
        {
            _alive.Remove(spare);
            _failures++;
        }
        LogSpareFailed(spare.Pid, problem);
        await spare.DisposeAsync(); // killed if still there, and reaped
    }

    /// <summary>A ready spare that exits before a job takes it is reaped and replaced (after the backoff).</summary>
    private async Task WatchAsync(AnalyzerProcess spare)
    {
        await spare.Exited;
        lock (_gate)
        {
            if (!_ready.Remove(spare)) return; // taken by a job (its own now), or disposing
            _alive.Remove(spare);
            _failures++;
        }
        LogSpareDied(spare.Pid, spare.DescribeExit());
        await spare.DisposeAsync();
        Replenish();
    }

    private TimeSpan Backoff(int failures)
    {
        var first = Math.Max(MinDelay.TotalSeconds, _options.RestartDelay.TotalSeconds);
        var seconds = Math.Min(MaxDelay.TotalSeconds, first * Math.Pow(2, Math.Min(failures - 1, 16)));
        return TimeSpan.FromSeconds(seconds * (0.8 + 0.4 * Random.Shared.NextDouble()));
    }

    /// <summary>Stops keeping spares, kills every spare (ready or warming) and reaps it. Idempotent.</summary>
    public ValueTask DisposeAsync()
    {
        lock (_gate) _disposed ??= DisposeCoreAsync();
        return new ValueTask(_disposed);
    }

    private async Task DisposeCoreAsync()
    {
        await _stopping.CancelAsync();
        await _keeping;
        AnalyzerProcess[] spares;
        lock (_gate)
        {
            spares = [.. _alive];
            _alive.Clear();
            _ready.Clear();
            _warming = null;
        }
        await Task.WhenAll(spares.Select(spare => spare.DisposeAsync().AsTask()));
    }

    [LoggerMessage(1, LogLevel.Information, "Spare analyzer process {Pid} is ready (warmed up in {Seconds:0.00} s)")]
    private partial void LogReady(int pid, double seconds);

    [LoggerMessage(2, LogLevel.Warning, "Spare analyzer process {Pid} failed: {Problem}")]
    private partial void LogSpareFailed(int pid, string problem);

    [LoggerMessage(3, LogLevel.Warning, "Spare analyzer process {Pid} died before a job took it: {Reason}")]
    private partial void LogSpareDied(int pid, string reason);

    [LoggerMessage(4, LogLevel.Information, "{Failures} spare analyzer process(es) failed in a row: the next starts in {Delay}")]
    private partial void LogBackingOff(int failures, TimeSpan delay);

    [LoggerMessage(5, LogLevel.Error, "Keeping spare analyzer processes failed; no more spares")]
    private partial void LogKeepingFailed(Exception exception);
}
