using k8s.Models;

namespace Focus.Grains.Exposure;

/// <summary>
/// The NodePort Service that exposes one job's stream: named and labelled for the job, selecting exactly the
/// silo pod that serves it, and owned by that pod so Kubernetes collects it if the pod goes.
/// </summary>
public static class JobServiceManifest
{
    public const string PartOfLabel = "app.kubernetes.io/part-of";
    public const string PartOf = "focus";
    public const string ComponentLabel = "app.kubernetes.io/component";
    public const string Component = "job-stream";
    public const string JobIdLabel = "focus/job-id";
    public const string PodNameLabel = "statefulset.kubernetes.io/pod-name";
    public const string PortName = "grpc";

    /// <summary>Lists exactly the job Services (the deployment's own Services are part of focus too, with no job id).</summary>
    public const string Selector = $"{PartOfLabel}={PartOf},{JobIdLabel}";

    /// <summary><c>focus-job-{job id}</c>: a DNS-1035 label, as Service names must be.</summary>
    public static string NameFor(string jobId)
    {
        var name = $"focus-job-{jobId}";
        if (name.Length > 63 || !name.All(c => c is (>= 'a' and <= 'z') or (>= '0' and <= '9') or '-') || name.EndsWith('-'))
            throw new ArgumentException($"job id '{jobId}' cannot name a Service", nameof(jobId));
        return name;
    }

    public static V1Service Build(string jobId, V1Pod pod, int port) => new()
    {
        ApiVersion = "v1",
        Kind = "Service",
        Metadata = new V1ObjectMeta
        {
            Name = NameFor(jobId),
            NamespaceProperty = pod.Namespace(),
            Labels = new Dictionary<string, string>
            {
                [PartOfLabel] = PartOf,
                [ComponentLabel] = Component,
                [JobIdLabel] = jobId,
            },
            // Not blockOwnerDeletion: setting it needs rights on the pod's finalizers, and nothing should wait for a Service.
            OwnerReferences = [new V1OwnerReference { ApiVersion = "v1", Kind = "Pod", Name = pod.Name(), Uid = pod.Uid() }],
        },
        Spec = new V1ServiceSpec
        {
            Type = "NodePort",
            Selector = new Dictionary<string, string> { [PodNameLabel] = pod.Name() },
            Ports = [new V1ServicePort { Name = PortName, Protocol = "TCP", AppProtocol = "kubernetes.io/h2c", Port = port, TargetPort = port }],
        },
    };

    /// <summary>The job a Service was made for, or null for one that is not a job Service.</summary>
    public static string? JobIdOf(V1Service service) =>
        service.Metadata?.Labels is { } labels && labels.TryGetValue(JobIdLabel, out var id) ? id : null;

    /// <summary>The allocated node port, or null while the API server has not given one.</summary>
    public static int? NodePortOf(V1Service service) =>
        service.Spec?.Ports?.FirstOrDefault(p => p.Name == PortName)?.NodePort;

    /// <summary>True when <paramref name="existing"/> is the Service <see cref="Build"/> would make now (a retried create that had succeeded).</summary>
    public static bool IsSameExposure(V1Service existing, V1Service wanted) =>
        existing.Metadata?.DeletionTimestamp is null
        && JobIdOf(existing) == JobIdOf(wanted)
        && existing.Spec?.Selector is { } selector && selector.TryGetValue(PodNameLabel, out var pod) && pod == wanted.Spec.Selector[PodNameLabel]
        && existing.Metadata?.OwnerReferences?.Any(o => o.Uid == wanted.Metadata.OwnerReferences[0].Uid) == true
        && existing.Spec.Ports?.FirstOrDefault(p => p.Name == PortName)?.TargetPort?.Value == wanted.Spec.Ports[0].TargetPort.Value;
}
