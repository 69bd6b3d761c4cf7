using Microsoft.Extensions.Logging;
using Orleans.Runtime;

namespace Focus.Grains.Jobs;

/// <summary>
/// Runs on every silo: when membership declares another silo dead, tells the registry, which fails the
/// jobs placed there and frees their slots. Several silos report the same death; the registry's
/// <see cref="IJobRegistryGrain.SiloLost"/> is idempotent. If the registry itself lived on the dead
/// silo, the report reactivates it elsewhere from its stored state.
/// </summary>
internal sealed partial class JobRegistrySiloWatcher(
    IClusterMembershipService membership,
    IGrainFactory grains,
    ILocalSiloDetails local,
    ILogger<JobRegistrySiloWatcher> logger) : ILifecycleParticipant<ISiloLifecycle>
{
    private const int Attempts = 10;
    private readonly CancellationTokenSource _stopping = new();
    private Task _watching = Task.CompletedTask;

    public void Participate(ISiloLifecycle lifecycle) =>
        lifecycle.Subscribe(nameof(JobRegistrySiloWatcher), ServiceLifecycleStage.Active, Start, Stop);

    private Task Start(CancellationToken cancellationToken)
    {
        _watching = Task.Run(() => WatchAsync(_stopping.Token), CancellationToken.None);
        return Task.CompletedTask;
    }

    private async Task Stop(CancellationToken cancellationToken)
    {
        await _stopping.CancelAsync();
        await _watching.WaitAsync(cancellationToken).ContinueWith(_ => { }, TaskScheduler.Default);
    }

    private async Task WatchAsync(CancellationToken cancellationToken)
    {
        ClusterMembershipSnapshot? previous = null;
        try
        {
            await foreach (var snapshot in membership.MembershipUpdates.WithCancellation(cancellationToken))
            {
                if (previous is not null)
                    foreach (var change in snapshot.CreateUpdate(previous).Changes)
                        if (change.Status == SiloStatus.Dead && !change.SiloAddress.Equals(local.SiloAddress))
                            await ReportAsync(change.SiloAddress, change.Name, cancellationToken);
                previous = snapshot;
            }
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
        }
    }

    private async Task ReportAsync(SiloAddress silo, string name, CancellationToken cancellationToken)
    {
        LogDead(name);
        for (var attempt = 1; ; attempt++)
        {
            try
            {
                await grains.GetGrain<IJobRegistryGrain>(JobRegistryKey.Value).SiloLost(silo, name);
                return;
            }
            catch (Exception ex) when (attempt < Attempts && !cancellationToken.IsCancellationRequested)
            {
                // The registry may be moving (its silo was the one lost); try again shortly.
                LogRetry(ex, name, attempt);
                await Task.Delay(TimeSpan.FromMilliseconds(500 * attempt), cancellationToken);
            }
            catch (Exception ex) when (!cancellationToken.IsCancellationRequested)
            {
                LogGaveUp(ex, name);
                return;
            }
        }
    }

    [LoggerMessage(1, LogLevel.Warning, "Silo {Silo} declared dead")]
    private partial void LogDead(string silo);

    [LoggerMessage(2, LogLevel.Information, "Could not report silo {Silo} lost to the registry (attempt {Attempt}); retrying")]
    private partial void LogRetry(Exception exception, string silo, int attempt);

    [LoggerMessage(3, LogLevel.Error, "Gave up reporting silo {Silo} lost to the registry")]
    private partial void LogGaveUp(Exception exception, string silo);
}
