using Focus.Grains.Jobs;
using Microsoft.Extensions.Logging;
using Orleans.Runtime;

namespace Focus.Grains.Analyzers;

/// <summary>
/// A graceful silo shutdown drains its jobs while the silo is still fully up (first thing the
/// <see cref="ServiceLifecycleStage.Active"/> stage does on stop): the registry stops placing jobs
/// here, then every job whose analyzer runs here ends cancelled — its streams end CANCELLED, its port
/// and slot are freed, and /metadata says why. Other silos' jobs are not touched.
/// </summary>
internal sealed partial class SiloJobsDrain(
    LocalAnalyzerJobs local,
    IGrainFactory grains,
    ILocalSiloDetails silo,
    ILogger<SiloJobsDrain> logger) : ILifecycleParticipant<ISiloLifecycle>
{
    private static readonly TimeSpan Deadline = TimeSpan.FromSeconds(20);

    public void Participate(ISiloLifecycle lifecycle) =>
        lifecycle.Subscribe(nameof(SiloJobsDrain), ServiceLifecycleStage.Active, _ => Task.CompletedTask, DrainAsync);

    private async Task DrainAsync(CancellationToken cancellationToken)
    {
        var reason = $"silo {silo.Name} shut down";
        try
        {
            await grains.GetGrain<IJobRegistryGrain>(JobRegistryKey.Value).SiloDraining(silo.SiloAddress).WaitAsync(TimeSpan.FromSeconds(5), cancellationToken);
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            LogRegistryUnreachable(ex);
        }

        var jobs = local.Snapshot();
        if (jobs.Count == 0) return;
        LogDraining(jobs.Count);
        try
        {
            await Task.WhenAll(jobs.Select(jobId => grains.GetGrain<IJobGrain>(jobId).Drain(reason))).WaitAsync(Deadline, cancellationToken);
        }
        catch (Exception ex)
        {
            // What is left ends when its analyzer deactivates (also CANCELLED).
            LogDrainIncomplete(ex, local.Count);
        }
    }

    [LoggerMessage(1, LogLevel.Information, "Shutting down: draining {Jobs} jobs")]
    private partial void LogDraining(int jobs);

    [LoggerMessage(2, LogLevel.Warning, "Drain incomplete; {Left} analyzers end as they deactivate")]
    private partial void LogDrainIncomplete(Exception exception, int left);

    [LoggerMessage(3, LogLevel.Warning, "Could not tell the registry this silo is draining")]
    private partial void LogRegistryUnreachable(Exception exception);
}
