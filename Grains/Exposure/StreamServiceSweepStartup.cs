using Microsoft.Extensions.Logging;
using Orleans.Runtime;

namespace Focus.Grains.Exposure;

/// <summary>
/// Each silo, once active, sweeps (and so registers the sweeper's reminder): Services left by a silo that died are
/// gone soon after its replacement starts. The start never waits on the Kubernetes API.
/// </summary>
internal sealed partial class StreamServiceSweepStartup(IGrainFactory grains, ILogger<StreamServiceSweepStartup> logger)
    : ILifecycleParticipant<ISiloLifecycle>
{
    public void Participate(ISiloLifecycle lifecycle) =>
        lifecycle.Subscribe(nameof(StreamServiceSweepStartup), ServiceLifecycleStage.Active, Start, _ => Task.CompletedTask);

    private Task Start(CancellationToken cancellationToken)
    {
        _ = SweepAsync();
        return Task.CompletedTask;
    }

    private async Task SweepAsync()
    {
        try
        {
            var deleted = await grains.GetGrain<IStreamServiceSweeperGrain>(StreamServiceSweeperKey.Value).Sweep();
            LogSwept(deleted);
        }
        catch (Exception ex)
        {
            LogFailed(ex);
        }
    }

    [LoggerMessage(1, LogLevel.Information, "Start-up sweep of job Services: {Deleted} deleted")]
    private partial void LogSwept(int deleted);

    [LoggerMessage(2, LogLevel.Warning, "Start-up sweep of job Services failed")]
    private partial void LogFailed(Exception exception);
}
