namespace Focus.Grains.Exposure;

/// <summary>
/// <c>Focus:Kubernetes</c>: how a silo reaches the Kubernetes API for <c>Focus:Streams:Exposure=kubernetes</c>,
/// which pod it is, and how long API calls may take.
/// </summary>
public sealed class KubernetesOptions
{
    public const string Section = "Focus:Kubernetes";

    /// <summary>Path of a kubeconfig file; empty: the pod's service account (in-cluster).</summary>
    public string KubeConfig { get; set; } = "";

    /// <summary>Where job Services are made; empty: the service account's namespace (or the kubeconfig context's).</summary>
    public string Namespace { get; set; } = "";

    /// <summary>This silo's pod (and so its silo name); empty: the <c>POD_NAME</c> environment variable (downward API).</summary>
    public string PodName { get; set; } = "";

    /// <summary>The <c>stream_url</c> handed out (a name that reaches the nodes); empty: the node IP of the job's pod.</summary>
    public string NodeAddress { get; set; } = "";

    /// <summary>One API call; a slower one is a timeout, retried.</summary>
    public TimeSpan RequestTimeout { get; set; } = TimeSpan.FromSeconds(5);

    /// <summary>Retries of a call that failed transiently (409, 429, 5xx, timeout, connection), with jittered backoff.</summary>
    public int MaxRetries { get; set; } = 3;

    /// <summary>All of exposing one job: reading its pod, creating its Service, waiting for the node port.</summary>
    public TimeSpan ExposeTimeout { get; set; } = TimeSpan.FromSeconds(15);

    /// <summary>Failed calls in a row (within 30 s) that open the circuit: further calls fail at once for <see cref="BreakDuration"/>.</summary>
    public int BreakAfterFailures { get; set; } = 10;

    public TimeSpan BreakDuration { get; set; } = TimeSpan.FromSeconds(15);

    /// <summary>How often the sweeper deletes Services whose job holds no stream (a reminder: 1 minute or more).</summary>
    public TimeSpan SweepInterval { get; set; } = TimeSpan.FromMinutes(5);

    /// <summary>A Service younger than this is never swept (its job may still be starting).</summary>
    public TimeSpan SweepGrace { get; set; } = TimeSpan.FromMinutes(1);

    /// <summary>The pod name this silo runs as: <see cref="PodName"/> or <c>POD_NAME</c>.</summary>
    public string EffectivePodName => PodName.Length > 0 ? PodName : Environment.GetEnvironmentVariable("POD_NAME") ?? "";
}
