using Focus.Grains.Jobs;
using k8s.Models;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Focus.Grains.Exposure;

/// <summary>
/// <c>kubernetes</c>: a NodePort Service per job (<see cref="JobServiceManifest"/>) that selects the silo pod serving
/// the job and forwards to the job's pooled port; clients get a node's address and the node port. The pod is the
/// job's silo (a silo is named after its pod in this mode), read once per job for its UID (the Service's owner) and
/// its node's IP (the default <c>stream_url</c>).
/// </summary>
public sealed partial class KubernetesStreamExposure(
    KubernetesApi api,
    IOptions<KubernetesOptions> options,
    TimeProvider clock,
    ILogger<KubernetesStreamExposure> logger) : IStreamExposure
{
    private static readonly TimeSpan NodePortPoll = TimeSpan.FromMilliseconds(200);

    public async Task<ExposedStream> ExposeAsync(string jobId, JobResources resources, CancellationToken cancellationToken)
    {
        using var budget = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        budget.CancelAfter(options.Value.ExposeTimeout);
        var creating = false;
        try
        {
            var pod = await api.ReadPodAsync(resources.Silo, budget.Token);
            creating = true;
            var service = await api.CreateServiceAsync(JobServiceManifest.Build(jobId, pod, resources.StreamPort), budget.Token);
            var nodePort = await WaitForNodePort(service, budget.Token);
            var host = options.Value.NodeAddress.Length > 0 ? options.Value.NodeAddress
                : pod.Status?.HostIP is { Length: > 0 } hostIp ? hostIp
                : throw new StreamExposureUnavailableException($"pod {resources.Silo} has no node IP yet, and Focus:Kubernetes:NodeAddress is empty", TimeSpan.FromSeconds(5));
            LogExposed(jobId, service.Name(), host, nodePort, resources.Silo, resources.StreamPort);
            return new ExposedStream(host, nodePort);
        }
        catch (StreamExposureUnavailableException ex)
        {
            LogExposeFailed(jobId, ex.Message);
            if (creating) await RollBack(jobId);
            throw;
        }
    }

    public async Task ReleaseAsync(string jobId, CancellationToken cancellationToken)
    {
        var name = JobServiceManifest.NameFor(jobId);
        if (await api.DeleteServiceAsync(name, "job_ended", cancellationToken))
            LogReleased(jobId, name);
    }

    /// <summary>The API server allocates the node port in the create; should an answer lack it, ask until it has one.</summary>
    private async Task<int> WaitForNodePort(V1Service service, CancellationToken cancellationToken)
    {
        while (true)
        {
            if (JobServiceManifest.NodePortOf(service) is { } port) return port;
            try
            {
                await Task.Delay(NodePortPoll, clock, cancellationToken);
            }
            catch (OperationCanceledException)
            {
                throw new StreamExposureUnavailableException($"Service {service.Name()} got no node port in time", TimeSpan.FromSeconds(5));
            }
            service = await api.ReadServiceAsync(service.Name(), cancellationToken);
        }
    }

    /// <summary>A half-made exposure must not outlive the refused /configure; if even this fails, the sweeper deletes it.</summary>
    private async Task RollBack(string jobId)
    {
        try
        {
            using var timeout = new CancellationTokenSource(options.Value.RequestTimeout * 2);
            await api.DeleteServiceAsync(JobServiceManifest.NameFor(jobId), "rollback", timeout.Token);
        }
        catch (StreamExposureUnavailableException ex)
        {
            LogRollBackFailed(jobId, ex.Message);
        }
    }

    [LoggerMessage(1, LogLevel.Information, "Job {JobId} exposed by Service {Service} at {Host}:{NodePort} (pod {Pod}, port {Port})")]
    private partial void LogExposed(string jobId, string service, string host, int nodePort, string pod, int port);

    [LoggerMessage(2, LogLevel.Warning, "Job {JobId} could not be exposed: {Problem}")]
    private partial void LogExposeFailed(string jobId, string problem);

    [LoggerMessage(3, LogLevel.Information, "Job {JobId}: Service {Service} deleted")]
    private partial void LogReleased(string jobId, string service);

    [LoggerMessage(4, LogLevel.Warning, "Job {JobId}: its Service could not be deleted after a failed exposure ({Problem}); the sweeper will")]
    private partial void LogRollBackFailed(string jobId, string problem);
}
