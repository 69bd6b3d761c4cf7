using System.Collections.Concurrent;
using Focus.Analyzer.Pipeline;
using Focus.Analyzer.Streaming;
using Microsoft.Extensions.Logging;
using Polly;
using Polly.Retry;

namespace Focus.Analyzer.Launcher;

/// <summary>
/// One job whose data plane runs in a child process: it watches the process (exit, or silence beyond
/// <see cref="AnalyzerHostOptions.HealthTimeout"/>), restarts it on the same port with jittered exponential backoff up to
/// <see cref="AnalyzerHostOptions.MaxRestarts"/> times, and then reports the job's <see cref="JobProgress.Fault"/> naming
/// the exit code or signal, so the job fails. <see cref="StopAsync"/> asks the process to end the streams with the
/// job's status, kills it (and anything it started) if it does not exit in time, and returns once it is reaped: the
/// port is free then.
/// </summary>
internal sealed partial class ProcessAnalyzerJob : IAnalyzerJob
{
    private readonly ProcessAnalyzerHost _host;
    private readonly ILogger _logger;
    private readonly CancellationTokenSource _stopping = new();
    private readonly Lock _gate = new();
    private readonly DateTimeOffset _startedAt = DateTimeOffset.UtcNow;
    private AnalyzerProcess? _process;
    private Task _supervision = Task.CompletedTask;
    private Task? _stopped;
    private volatile JobProgress? _last;            // the current process's last report
    private (long Lines, long Gaps, long Dropped) _carried; // what processes before it reported (under _gate)
    private long _firstLineAtMs = long.MinValue;
    private volatile string? _fault;
    private string? _queue;
    private readonly ConcurrentDictionary<long, TaskCompletionSource<PullTake>> _pulls = new();
    private long _nextPullId;

    private static readonly PullTake NoLines = new([], false, 0);

    /// <summary>How long a pull waits for the job's process to answer.</summary>
    public static readonly TimeSpan PullTimeout = TimeSpan.FromSeconds(4); // under IJobGrain.Pull's 5 s call timeout

    public ProcessAnalyzerJob(ProcessAnalyzerHost host, PipelineSpec spec, int port)
    {
        _host = host;
        Spec = spec;
        Port = port;
        _logger = host.LoggerFactory.CreateLogger<ProcessAnalyzerJob>();
    }

    public PipelineSpec Spec { get; }

    public int Port { get; }

    public string? Queue => _queue;

    /// <summary>The process serving the job now, or 0 between a crash and its restart (for tests and logs).</summary>
    public int ProcessId => _process is { HasExited: false } p ? p.Pid : 0;

    public JobProgress Progress
    {
        get
        {
            var last = _last;
            (long, long, long) carried;
            lock (_gate) carried = _carried;
            var (lines, gaps, dropped) = carried;
            var firstMs = Interlocked.Read(ref _firstLineAtMs);
            return new JobProgress(
                last?.ConnectedClients ?? 0,
                lines + (last?.LinesEmitted ?? 0),
                gaps + (last?.Gaps ?? 0),
                dropped + (last?.DroppedLines ?? 0),
                firstMs == long.MinValue ? null : DateTimeOffset.FromUnixTimeMilliseconds(firstMs),
                last?.LastReadAt ?? _startedAt,
                _fault ?? last?.Fault,
                last?.Completed ?? false);
        }
    }

    /// <summary>
    /// The pull buffer lives in the job's process: asks it over the launcher (<c>pull</c>, answered by <c>pulled</c>,
    /// at most <see cref="LauncherProtocol.MaxPullBytes"/> of values a pull). No lines while the process restarts;
    /// a process that does not answer within <see cref="PullTimeout"/> is a <see cref="TimeoutException"/> (503).
    /// </summary>
    public async ValueTask<PullTake> PullAsync(int maxLines, TimeSpan idleTimeout, long maxBytes = long.MaxValue)
    {
        if (_process is not { HasExited: false } process) return NoLines;
        var id = Interlocked.Increment(ref _nextPullId);
        var answer = new TaskCompletionSource<PullTake>(TaskCreationOptions.RunContinuationsAsynchronously);
        _pulls[id] = answer;
        try
        {
            var command = new LauncherCommand { Command = LauncherCommand.Pull, PullId = id, MaxLines = maxLines, IdleTimeoutSeconds = idleTimeout.TotalSeconds };
            if (!await process.SendAsync(command)) return NoLines;
            return await answer.Task.WaitAsync(PullTimeout);
        }
        finally
        {
            _pulls.TryRemove(id, out _);
        }
    }

    internal async Task StartAsync(CancellationToken cancellationToken)
    {
        var process = await _host.LaunchAsync(Spec, Port, OnEvent, cancellationToken);
        lock (_gate) _process = process;
        _supervision = Task.Run(() => SuperviseAsync(process));
    }

    internal void Send(LauncherCommand command)
    {
        if (_process is { } process) _ = process.SendAsync(command);
    }

    public Task StopAsync(JobEnd end)
    {
        ArgumentNullException.ThrowIfNull(end);
        lock (_gate) return _stopped ??= Task.Run(() => StopCoreAsync(end));
    }

    private async Task StopCoreAsync(JobEnd end)
    {
        AnalyzerProcess? process;
        lock (_gate)
        {
            process = _process;
            _process = null;
        }
        await _stopping.CancelAsync(); // no restart from here on
        try
        {
            if (process is not null && !process.HasExited)
            {
                using (_logger.BeginScope(new JobLogScope(Spec.JobId))) LogStopping(process.Pid, end.Kind);
                await process.SendAsync(new LauncherCommand { Command = LauncherCommand.Stop, End = end });
                if (await Task.WhenAny(process.Exited, Task.Delay(_host.Options.StopTimeout)) != process.Exited)
                {
                    using (_logger.BeginScope(new JobLogScope(Spec.JobId))) LogKilledOnStop(process.Pid, _host.Options.StopTimeout);
                }
            }
            if (process is not null) await process.DisposeAsync(); // kill -9 if still there, then reap
            await _supervision;
        }
        finally
        {
            _host.Remove(this);
        }
    }

    /// <summary>Restarts the job's process while the job runs, until it stops or the restarts are used up.</summary>
    private async Task SuperviseAsync(AnalyzerProcess first)
    {
        var o = _host.Options;
        var pipeline = o.MaxRestarts == 0 ? ResiliencePipeline.Empty : new ResiliencePipelineBuilder()
            .AddRetry(new RetryStrategyOptions
            {
                MaxRetryAttempts = o.MaxRestarts,
                BackoffType = DelayBackoffType.Exponential,
                UseJitter = true,
                Delay = o.RestartDelay,
                MaxDelay = TimeSpan.FromSeconds(10),
                ShouldHandle = new PredicateBuilder().Handle<Exception>(ex => ex is not OperationCanceledException),
                OnRetry = args =>
                {
                    using (_logger.BeginScope(new JobLogScope(Spec.JobId)))
                        LogRestarting(args.AttemptNumber + 1, o.MaxRestarts, args.RetryDelay, args.Outcome.Exception?.Message);
                    return ValueTask.CompletedTask;
                },
            })
            .Build();
        AnalyzerProcess? next = first;
        var attempts = 0;
        try
        {
            await pipeline.ExecuteAsync(async token =>
            {
                attempts++;
                var process = next ?? await RelaunchAsync(token);
                next = null;
                var why = await WatchAsync(process, token);
                throw new AnalyzerProcessExitedException(why);
            }, _stopping.Token);
        }
        catch (OperationCanceledException) when (_stopping.IsCancellationRequested)
        {
            // stopped: StopAsync ends the process
        }
        catch (Exception ex)
        {
            var restarts = attempts - 1;
            _fault = restarts == 0 && o.MaxRestarts == 0
                ? $"{ex.Message}; not restarted (Focus:Analyzer:MaxRestarts is 0)"
                : $"{ex.Message}; gave up after {restarts} restart(s)";
            using (_logger.BeginScope(new JobLogScope(Spec.JobId))) LogGaveUp(_fault);
        }
    }

    private async Task<AnalyzerProcess> RelaunchAsync(CancellationToken cancellationToken)
    {
        var process = await _host.LaunchAsync(Spec, Port, OnEvent, cancellationToken);
        lock (_gate)
        {
            if (!_stopping.IsCancellationRequested)
            {
                _process = process;
                using (_logger.BeginScope(new JobLogScope(Spec.JobId))) LogRestarted(process.Pid);
                return process;
            }
        }
        await process.DisposeAsync(); // stopped meanwhile
        throw new OperationCanceledException(_stopping.Token);
    }

    /// <summary>Waits until the process exits or falls silent; returns why (a silent one is killed and reaped first).</summary>
    private async Task<string> WatchAsync(AnalyzerProcess process, CancellationToken cancellationToken)
    {
        var health = _host.Options.HealthTimeout;
        while (true)
        {
            var tick = Task.Delay(TimeSpan.FromMilliseconds(500), cancellationToken);
            if (await Task.WhenAny(process.Exited, tick) == process.Exited) break;
            cancellationToken.ThrowIfCancellationRequested();
            if (process.Silence > health)
            {
                process.Kill();
                await process.Exited;
                CarryOver();
                return $"analyzer process {process.Pid} stopped answering for {health} and was killed";
            }
        }
        cancellationToken.ThrowIfCancellationRequested();
        CarryOver();
        return process.DescribeExit();
    }

    /// <summary>A new process counts from zero: keep what the old one reported in the job's totals.</summary>
    private void CarryOver()
    {
        foreach (var pull in _pulls.Values) pull.TrySetResult(NoLines); // the buffer went with the process
        if (Interlocked.Exchange(ref _last, null) is { } last)
            lock (_gate) _carried = (_carried.Lines + last.LinesEmitted, _carried.Gaps + last.Gaps, _carried.Dropped + last.DroppedLines);
    }

    private void OnEvent(LauncherEvent e)
    {
        switch (e.Event)
        {
            case LauncherEvent.Started:
                _queue = e.Queue;
                break;
            case LauncherEvent.Pulled when e.PullId is { } id && _pulls.TryGetValue(id, out var answer):
                answer.TrySetResult(new PullTake([.. (e.Lines ?? []).Select(l => l.ToPullLine())], e.Ended ?? false, e.Dropped ?? 0));
                break;
            case LauncherEvent.Progress when e.Snapshot is { } snapshot:
                var previous = _last;
                _last = snapshot;
                // The silo's /metrics count lines and gaps of every job, wherever it runs.
                var lines = snapshot.LinesEmitted - (previous?.LinesEmitted ?? 0);
                var gaps = snapshot.Gaps - (previous?.Gaps ?? 0);
                if (lines > 0) _host.Instruments.LinesEmitted.Add(lines);
                if (gaps > 0) _host.Instruments.Gaps.Add(gaps);
                if (snapshot.FirstLineAt is { } first
                    && Interlocked.CompareExchange(ref _firstLineAtMs, first.ToUnixTimeMilliseconds(), long.MinValue) == long.MinValue)
                {
                    _host.Instruments.TimeToFirstFrame.Record(Math.Max(0, (first - _startedAt).TotalSeconds));
                }
                break;
        }
    }

    [LoggerMessage(1, LogLevel.Information, "Stopping analyzer process {Pid} ({Kind})")]
    private partial void LogStopping(int pid, JobEndKind kind);

    [LoggerMessage(2, LogLevel.Warning, "Analyzer process {Pid} did not exit within {Timeout} of stop: killed")]
    private partial void LogKilledOnStop(int pid, TimeSpan timeout);

    [LoggerMessage(3, LogLevel.Warning, "Restarting the analyzer process (restart {Attempt} of {Max}) in {Delay}: {Reason}")]
    private partial void LogRestarting(int attempt, int max, TimeSpan delay, string? reason);

    [LoggerMessage(4, LogLevel.Information, "Analyzer process {Pid} restarted")]
    private partial void LogRestarted(int pid);

    [LoggerMessage(5, LogLevel.Error, "The job's analyzer process is gone for good: {Reason}")]
    private partial void LogGaveUp(string reason);
}
