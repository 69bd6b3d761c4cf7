using Focus.Analyzer.Historic;
using Focus.Analyzer.Pipeline;
using Focus.Analyzer.Streaming;
using Focus.Grains;
using Focus.Grains.Analyzers;
using Focus.Grains.Exposure;
using Focus.Grains.Fiber;
using Focus.Grains.Hosting;
using Focus.Grains.Jobs;
using Focus.Grains.Recordings;
using Focus.IntegrationTests.Infrastructure;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;
using Orleans.Storage;
using Orleans.TestingHost;
using static Focus.IntegrationTests.Infrastructure.Polling;

namespace Focus.IntegrationTests.Control;

/// <summary>
/// The control plane alone: one in-process silo with the real job grains, registry and workers, on a
/// <see cref="FakeTimeProvider"/>, with an analyzer host, exposure and grain storage that count what they hold and
/// fail on demand. Jobs are kept 2 s (fake time) after they end; a client may hold 3 jobs. A test that needs more
/// silos or other settings makes its own with <see cref="StartAsync"/> (the fakes are shared by its silos).
/// </summary>
public sealed class ControlPlaneCluster : IAsyncLifetime
{
    public const int MaxPerClient = 3;
    public static readonly TimeSpan Retention = TimeSpan.FromSeconds(2);

    private readonly short _silos;
    private readonly IReadOnlyDictionary<string, string?> _settings;
    private InProcessTestCluster? _cluster;

    public ControlPlaneCluster() : this(1, new Dictionary<string, string?>())
    {
    }

    private ControlPlaneCluster(short silos, IReadOnlyDictionary<string, string?> settings) => (_silos, _settings) = (silos, settings);

    /// <summary>A cluster of its own: <paramref name="silos"/> silos, <paramref name="settings"/> over the defaults.</summary>
    public static async Task<ControlPlaneCluster> StartAsync(short silos, IReadOnlyDictionary<string, string?> settings)
    {
        var cluster = new ControlPlaneCluster(silos, settings);
        await cluster.InitializeAsync();
        return cluster;
    }

    public FakeTimeProvider Clock { get; } = new(new DateTimeOffset(2026, 12, 1, 10, 0, 0, TimeSpan.Zero));
    public FakeAnalyzerHost Analyzers { get; } = new();
    public FaultyStreamExposure Exposure { get; } = new();
    public CountingGrainStorage Storage { get; } = new();

    public IGrainFactory Grains => _cluster!.Client;
    public IJobRegistryGrain Registry => Grains.GetGrain<IJobRegistryGrain>(JobRegistryKey.Value);
    public StreamPortPool Ports => SiloServices.GetRequiredService<StreamPortPool>();
    public IReminderTable Reminders => SiloServices.GetRequiredService<IReminderTable>();
    private IServiceProvider SiloServices => _cluster!.Silos[0].ServiceProvider;
    public InProcessTestCluster TestCluster => _cluster!;
    private int PortsInUse => _cluster!.Silos.Where(s => s.IsActive).Sum(s => s.ServiceProvider.GetRequiredService<StreamPortPool>().InUse);

    public async Task InitializeAsync()
    {
        var (first, last) = FreePorts.Block(40);
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["Focus:Jobs:Retention"] = Retention.ToString(),
            ["Focus:Jobs:MaxPerClient"] = MaxPerClient.ToString(),
            ["Focus:Jobs:MaxConcurrent"] = "30",
            ["Focus:Streams:PortRange"] = $"{first}-{last}",
            ["Focus:Streams:BindAddress"] = "127.0.0.1",
            ["Focus:Admission:SiloFftSamplesPerSecond"] = "2e10",
        }).AddInMemoryCollection(_settings).Build();

        var builder = new InProcessTestClusterBuilder(_silos);
        builder.ConfigureSilo((_, silo) =>
        {
            var services = silo.Services;
            services.AddSingleton<TimeProvider>(Clock);
            services.AddSingleton<IAnalyzerHost>(Analyzers);
            services.AddMetrics();
            services.AddSingleton<StreamInstruments>(); // the worker counts pulled lines
            services.AddSingleton<IStreamExposure>(Exposure);
            services.AddKeyedSingleton<IGrainStorage>(FocusStorage.Jobs, Storage);
            services.AddSingleton<IRecordingCatalog, OneRecording>();
            services.AddOptions<StreamsOptions>().Bind(configuration.GetSection(StreamsOptions.Section));
            services.AddOptions<StorageOptions>().Configure(o => o.MountPath = Path.GetTempPath());
            silo.UseInMemoryReminderService();
            silo.AddFocusGrains(configuration);
        });
        _cluster = builder.Build();
        await _cluster.DeployAsync();
        await Grains.GetGrain<IMetadataGrain>(MetadataKey.Value).Update(new FiberMetadata
        {
            Prr = 2000, NumberOfChannels = 2222, Dx = 1.02, SwVersion = "test", FiberDescription = "test fiber",
        });
    }

    /// <summary>Creates a live job for <paramref name="client"/>; the request is the contract's example unless given.</summary>
    public Task<JobOutcome> Create(string client, ConfigureRequest? request = null, string? idempotencyKey = null) =>
        Registry.Create(request ?? Live(), idempotencyKey, correlationId: null, new JobCaller(client, null));

    public static ConfigureRequest Live(int min = 1, int max = 50, ViewType view = ViewType.Multichannel, int nfft = 1024, double duration = 10, int height = 1000) =>
        new()
        {
            ViewType = view,
            Height = height,
            ChannelMin = min,
            ChannelMax = max,
            NfftSelection = view == ViewType.Waterfall ? null : nfft,
            DisplayTimeAxisDuration = view == ViewType.Waterfall ? null : duration,
        };

    /// <summary>Nothing held anywhere: no analyzer, port, exposure or active job (asserted with a deadline).</summary>
    public Task AssertNothingHeld(string because)
    {
        var held = (RunningJobs: 0, PortsInUse: 0, Exposed: 0, active: 0);
        return Eventually(async () => (held = (Analyzers.RunningJobs, PortsInUse, Exposure.Exposed, await Registry.ActiveCount())) == (0, 0, 0, 0),
            () => $"{because}: analyzers {held.RunningJobs}, ports {held.PortsInUse}, exposures {held.Exposed}, registry slots {held.active} still held",
            TimeSpan.FromSeconds(15), TimeSpan.FromMilliseconds(50));
    }

    /// <summary>JobGrain activations of these ids.</summary>
    public async Task<int> JobActivations(IReadOnlyCollection<string> jobIds)
    {
        // By grain type: the statistics' type filter takes Orleans' formatted type name, not the class's full name.
        var jobType = Grains.GetGrain<IJobGrain>("_").GetGrainId().Type;
        var active = await Grains.GetGrain<IManagementGrain>(0).GetActiveGrains(jobType);
        return active.Count(id => jobIds.Contains(id.Key.ToString()!));
    }

    public Task Deactivate(IAddressable grain) => _cluster!.DeactivateAsync(grain);

    public async Task DisposeAsync()
    {
        if (_cluster is not null)
        {
            await _cluster.StopAllSilosAsync();
            await _cluster.DisposeAsync();
        }
    }

    /// <summary>A historic request over <see cref="Recording"/> (one hour of the full fiber at 2000 Hz).</summary>
    public static ConfigureRequest Historic(int min = 1, int max = 10) =>
        Live(min, max) with { StartTime = Recording.Start.AddMinutes(1), EndTime = Recording.Start.AddMinutes(2) };

    public static readonly RecordingInfo Recording = new()
    {
        Id = "one", Path = "one.h5", Start = new DateTimeOffset(2026, 11, 1, 10, 0, 0, TimeSpan.Zero),
        End = new DateTimeOffset(2026, 11, 1, 11, 0, 0, TimeSpan.Zero), Prr = 2000, Channels = 2222, Dx = 1.02,
    };

    private sealed class OneRecording : IRecordingCatalog
    {
        public string Kind => "one";
        public Task<IReadOnlyList<RecordingInfo>> FindOverlapping(DateTimeOffset start, DateTimeOffset end, CancellationToken cancellationToken) =>
            Task.FromResult<IReadOnlyList<RecordingInfo>>(Recording.Overlaps(start, end) ? [Recording] : []);
        public Task CheckReachableAsync(CancellationToken cancellationToken) => Task.CompletedTask;
    }
}

[CollectionDefinition(Name)]
public sealed class ControlPlaneCollection : ICollectionFixture<ControlPlaneCluster>
{
    public const string Name = "control plane";
}
