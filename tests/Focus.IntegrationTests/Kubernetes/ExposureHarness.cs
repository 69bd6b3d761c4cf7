using System.Diagnostics.Metrics;
using Focus.Grains.Exposure;
using Focus.Grains.Jobs;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;

namespace Focus.IntegrationTests.Kubernetes;

/// <summary>The kubernetes exposure, as a silo builds it, pointed at a <see cref="RecordedKubernetesApi"/> through a kubeconfig.</summary>
public sealed class ExposureHarness : IAsyncDisposable
{
    public const string Pod = "focus-silo-0";
    public const string PodUid = "6d5c3b1e-8f0a-4c9d-b2e7-4a1f0c3d5e6b";

    private readonly ServiceProvider _services;
    private readonly string _directory;

    private ExposureHarness(RecordedKubernetesApi api, KubernetesOptions options, string directory)
    {
        Api = api;
        Options = options;
        _directory = directory;
        _services = new ServiceCollection().AddMetrics().BuildServiceProvider();
        Client = new KubernetesApi(Microsoft.Extensions.Options.Options.Create(options),
            new KubernetesInstruments(_services.GetRequiredService<IMeterFactory>()), TimeProvider.System, NullLogger<KubernetesApi>.Instance);
        Exposure = new KubernetesStreamExposure(Client, Microsoft.Extensions.Options.Options.Create(options), TimeProvider.System,
            NullLogger<KubernetesStreamExposure>.Instance);
    }

    public RecordedKubernetesApi Api { get; }
    public KubernetesOptions Options { get; }
    public KubernetesApi Client { get; }
    public KubernetesStreamExposure Exposure { get; }
    public IMeterFactory Meters => _services.GetRequiredService<IMeterFactory>();

    public static async Task<ExposureHarness> StartAsync(Action<KubernetesOptions>? configure = null)
    {
        var api = await RecordedKubernetesApi.StartAsync();
        api.Pods[Pod] = PodUid;
        var directory = Directory.CreateTempSubdirectory("focus-k8s-").FullName;
        var options = new KubernetesOptions
        {
            KubeConfig = api.WriteKubeConfig(directory),
            PodName = Pod,
            RequestTimeout = TimeSpan.FromSeconds(2),
            ExposeTimeout = TimeSpan.FromSeconds(15),
            MaxRetries = 3,
        };
        configure?.Invoke(options);
        return new ExposureHarness(api, options, directory);
    }

    public static JobResources Resources(int port = 50061) => new() { StreamHost = "10.0.0.1", StreamPort = port, Silo = Pod };

    public async ValueTask DisposeAsync()
    {
        Client.Dispose();
        await Api.DisposeAsync();
        await _services.DisposeAsync();
        Directory.Delete(_directory, recursive: true);
    }
}
