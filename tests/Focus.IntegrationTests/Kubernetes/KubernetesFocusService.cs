using Focus.IntegrationTests.Infrastructure;

namespace Focus.IntegrationTests.Kubernetes;

/// <summary>
/// The real single-node service with <c>Focus:Streams:Exposure=kubernetes</c>, its KubernetesClient pointed through a
/// kubeconfig at a <see cref="RecordedKubernetesApi"/> (a recorded exchange on loopback, not a live cluster). The silo
/// runs as pod <see cref="ExposureHarness.Pod"/>; jobs expire after 6 s unread.
/// </summary>
public sealed class KubernetesFocusService : FocusService
{
    public const string NodeAddress = "nodes.focus.test";
    private static readonly string ConfigDirectory = Directory.CreateTempSubdirectory("focus-k8s-service-").FullName;

    public KubernetesFocusService() : this(StartApi()) { }

    private KubernetesFocusService(RecordedKubernetesApi api) : base(new Dictionary<string, string?>
    {
        ["Focus:Streams:Exposure"] = "kubernetes",
        ["Focus:Kubernetes:KubeConfig"] = api.WriteKubeConfig(ConfigDirectory),
        ["Focus:Kubernetes:PodName"] = ExposureHarness.Pod,
        ["Focus:Kubernetes:NodeAddress"] = NodeAddress,
        ["Focus:Kubernetes:RequestTimeout"] = "00:00:02",
        ["Focus:Kubernetes:ExposeTimeout"] = "00:00:10",
        ["Focus:Kubernetes:MaxRetries"] = "2",
        ["Focus:Kubernetes:BreakAfterFailures"] = "1000",
        ["Focus:Kubernetes:SweepGrace"] = "00:00:00",
        ["Focus:Jobs:IdleTimeout"] = "00:00:06",
        ["Focus:Jobs:ProgressInterval"] = "00:00:00.200",
    })
    {
        Api = api;
    }

    public RecordedKubernetesApi Api { get; }

    protected override int StreamPorts => 20;

    private static RecordedKubernetesApi StartApi()
    {
        var api = RecordedKubernetesApi.StartAsync().GetAwaiter().GetResult();
        api.Pods[ExposureHarness.Pod] = ExposureHarness.PodUid;
        return api;
    }

    public override async Task DisposeAsync()
    {
        await base.DisposeAsync();
        await Api.DisposeAsync();
    }
}
