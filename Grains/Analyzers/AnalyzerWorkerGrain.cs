using Focus.Analyzer.Pipeline;
using Focus.Analyzer.Sources.RabbitMq;
using Focus.Analyzer.Streaming;
using Focus.Grains.Jobs;
using Focus.Telemetry;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Orleans.Runtime;

namespace Focus.Grains.Analyzers;

/// <summary>
/// Hosts one job's data plane on this silo: rents a stream port, starts the pipeline and server
/// through the silo's <see cref="IAnalyzerHost"/>, and reports progress to the job on a timer.
/// The host starts and stops servers on the thread pool, never on this grain's scheduler.
/// </summary>
public sealed partial class AnalyzerWorkerGrain(
    IAnalyzerHost host,
    StreamPortPool ports,
    LocalAnalyzerJobs local,
    IOptions<StreamsOptions> streams,
    IOptions<JobsOptions> jobs,
    ILocalSiloDetails silo,
    StreamInstruments instruments,
    ILogger<AnalyzerWorkerGrain> logger) : Grain, IAnalyzerWorkerGrain
{
    private const int PortAttempts = 5;
    private static readonly TimeSpan TakenPortRest = TimeSpan.FromSeconds(30);

    private IAnalyzerJob? _job;
    private AnalyzerStartResult? _started;
    private IGrainTimer? _reporter;

    private string JobId => this.GetPrimaryKeyString();

    public async Task<AnalyzerStartResult> Start(AnalyzerAssignment assignment)
    {
        if (_started is not null) return _started;

        // The data plane's start on this silo: port, then the host's phases (kernel, input, server, pipeline) as children.
        using var span = FocusTracing.Start("focus.analyzer.start", FocusTracing.Caller());
        span?.SetTag("focus.job_id", JobId).SetTag("focus.silo", silo.Name);
        var spec = PipelineSpecs.From(assignment);
        for (var attempt = 0; attempt < PortAttempts && _job is null; attempt++)
        {
            if (!ports.TryRent(out var port))
                return JobProblem.Unavailable(
                    $"no free stream port in Focus:Streams:PortRange ({ports.Capacity} ports, {ports.InUse} in use)",
                    TimeSpan.FromSeconds(10)).ToStartResult();
            try
            {
                _job = await host.StartAsync(spec, port, CancellationToken.None);
            }
            catch (LiveInputUnavailableException ex)
            {
                // The broker is down: nothing was started; the client may retry (503 + Retry-After).
                ports.Release(port);
                return JobProblem.Unavailable(ex.Message, ex.RetryAfter).ToStartResult();
            }
            catch (StreamPortUnavailableException)
            {
                // Another process took it between probe and bind: skip it for a while, without counting it as ours.
                LogPortTaken(port);
                ports.ReleaseTaken(port, TakenPortRest);
            }
            catch
            {
                ports.Release(port);
                throw;
            }
        }

        if (_job is null)
            return JobProblem.Unavailable("no free stream port: every port tried was taken by another process", TimeSpan.FromSeconds(10)).ToStartResult();

        local.Add(JobId);
        span?.SetTag("focus.stream_port", _job.Port);
        var cost = JobCost.Of(assignment.Parameters);
        _started = new AnalyzerStartResult
        {
            Resources = new JobResources
            {
                StreamHost = streams.Value.Host,
                StreamPort = _job.Port,
                Silo = silo.Name,
                EstimatedMemoryBytes = cost.MemoryBytes,
                EstimatedCpuCores = cost.CpuCores,
                Queue = _job.Queue,
                StreamTls = streams.Value.Tls.IsOn,
            },
        };
        var interval = jobs.Value.ProgressInterval;
        _reporter = this.RegisterGrainTimer(Report, new GrainTimerCreationOptions(interval, interval) { KeepAlive = true });
        return _started;
    }

    public async Task Stop(AnalyzerStop stop)
    {
        _reporter?.Dispose();
        _reporter = null;
        if (_job is { } job)
        {
            _job = null;
            try
            {
                await job.StopAsync(new JobEnd(ToEndKind(stop.Kind), stop.Reason));
            }
            finally
            {
                ports.Release(job.Port);
                local.Remove(JobId);
            }
        }

        _started = null;
        DeactivateOnIdle();
    }

    public async Task<PullResult> Pull(int rowCount)
    {
        if (_job is not { } job)
        {
            // Stopped, or an activation made by the pull itself (the job's silo is gone): nothing more will come.
            if (_started is null) DeactivateOnIdle();
            return PullResult.Ended;
        }
        var take = await job.PullAsync(rowCount, jobs.Value.IdleTimeout);
        if (take.Lines.Count > 0) instruments.PulledLines.Add(take.Lines.Count);
        if (take.DroppedSinceLastTake > 0) instruments.PullDroppedLines.Add(take.DroppedSinceLastTake);
        return PulledRows.From(take, job.Spec);
    }

    public Task<bool> IsRunning() => Task.FromResult(_job is not null);

    public override async Task OnDeactivateAsync(DeactivationReason reason, CancellationToken cancellationToken)
    {
        // A silo shutting down (or an activation lost) must not leave a server or port behind. The silo's
        // drain (SiloJobsDrain) normally ended the job before this; a shutdown is a drain (CANCELLED
        // streams, the job cancelled with the reason), anything else loses the job (ABORTED, failed).
        if (_job is not null)
        {
            if (reason.ReasonCode == DeactivationReasonCode.ShuttingDown)
            {
                var why = $"silo {silo.Name} shut down";
                await Stop(new AnalyzerStop(AnalyzerStopKind.Cancelled, why));
                GrainFactory.GetGrain<IJobGrain>(JobId).Drain(why).Ignore();
            }
            else
            {
                var why = $"analyzer deactivated: {reason.Description}";
                await Stop(new AnalyzerStop(AnalyzerStopKind.Failed, why));
                GrainFactory.GetGrain<IJobGrain>(JobId).ReportLost(why).Ignore();
            }
        }
    }

    private Task Report()
    {
        if (_job is not { } job) return Task.CompletedTask;
        var p = job.Progress;
        var activity = new JobActivity
        {
            ConnectedClients = p.ConnectedClients,
            LinesEmitted = p.LinesEmitted,
            Gaps = p.Gaps,
            DroppedLines = p.DroppedLines,
            FirstLineAt = p.FirstLineAt,
            LastReadAt = p.LastReadAt,
            Fault = p.Fault,
            Completed = p.Completed,
        };
        return GrainFactory.GetGrain<IJobGrain>(JobId).ReportProgress(activity);
    }


    private static JobEndKind ToEndKind(AnalyzerStopKind kind) => kind switch
    {
        AnalyzerStopKind.Completed => JobEndKind.Completed,
        AnalyzerStopKind.Cancelled => JobEndKind.Cancelled,
        AnalyzerStopKind.Expired => JobEndKind.Expired,
        _ => JobEndKind.Failed,
    };

    [LoggerMessage(1, LogLevel.Warning, "Stream port {Port} was taken by another process; trying another")]
    private partial void LogPortTaken(int port);
}
