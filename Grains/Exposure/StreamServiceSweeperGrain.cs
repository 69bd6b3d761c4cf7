using Focus.Grains.Jobs;
using k8s.Models;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Focus.Grains.Exposure;

/// <summary>
/// Lists the namespace's job Services and deletes those whose job no longer holds a stream (asked of each
/// <see cref="IJobGrain"/>, the owner of that truth), sparing Services younger than <c>Focus:Kubernetes:SweepGrace</c>.
/// </summary>
/// <remarks>
/// <paramref name="api"/> is registered only with <c>Focus:Streams:Exposure=kubernetes</c>; with direct exposure it is
/// null, and a reminder left from a kubernetes deployment removes itself.
/// </remarks>
public sealed partial class StreamServiceSweeperGrain(
    IOptions<KubernetesOptions> options,
    TimeProvider clock,
    ILogger<StreamServiceSweeperGrain> logger,
    KubernetesApi? api = null) : Grain, IStreamServiceSweeperGrain, IRemindable
{
    private const string ReminderName = "sweep-job-services";

    private readonly KubernetesApi? _api = api;

    public async Task<int> Sweep()
    {
        if (_api is null) return 0;
        var interval = options.Value.SweepInterval;
        await this.RegisterOrUpdateReminder(ReminderName, interval, interval);
        return await SweepOnce(_api);
    }

    public async Task ReceiveReminder(string reminderName, TickStatus status)
    {
        if (_api is null)
        {
            if (await this.GetReminder(reminderName) is { } reminder) await this.UnregisterReminder(reminder);
            return;
        }
        await SweepOnce(_api);
    }

    private async Task<int> SweepOnce(KubernetesApi api)
    {
        IReadOnlyList<V1Service> found;
        try
        {
            found = await api.ListJobServicesAsync(CancellationToken.None);
        }
        catch (StreamExposureUnavailableException ex)
        {
            LogSweepFailed(ex.Message);
            return 0;
        }

        var now = clock.GetUtcNow().UtcDateTime;
        var deleted = 0;
        foreach (var service in found)
        {
            if (JobServiceManifest.JobIdOf(service) is not { } jobId) continue;
            if (service.Metadata.CreationTimestamp is { } created && now - created.ToUniversalTime() < options.Value.SweepGrace) continue;
            if (await GrainFactory.GetGrain<IJobGrain>(jobId).HoldsStream()) continue;
            try
            {
                if (await api.DeleteServiceAsync(service.Name(), "sweep", CancellationToken.None))
                {
                    deleted++;
                    LogSwept(service.Name(), jobId);
                }
            }
            catch (StreamExposureUnavailableException ex)
            {
                LogSweepFailed(ex.Message);
                break; // the next tick tries again
            }
        }
        return deleted;
    }

    [LoggerMessage(1, LogLevel.Information, "Swept Service {Service}: job {JobId} holds no stream")]
    private partial void LogSwept(string service, string jobId);

    [LoggerMessage(2, LogLevel.Warning, "Job Service sweep stopped: {Problem}")]
    private partial void LogSweepFailed(string problem);
}
