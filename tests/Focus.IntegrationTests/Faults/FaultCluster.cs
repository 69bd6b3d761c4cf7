using System.Globalization;
using System.Net;
using Focus.Grains.Jobs;
using Focus.IntegrationTests.Cluster;
using Focus.IntegrationTests.Infrastructure;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Npgsql;
using Orleans.Configuration;

namespace Focus.IntegrationTests.Faults;

/// <summary>
/// Three real silo processes (<c>Focus.Silo.dll</c>, adonet) on a PostgreSQL of their own, which the tests stop and
/// start under them, and an Orleans client of the tests' own that counts what the cluster holds
/// (<see cref="ClusterCensus"/>). Clients use each silo's co-hosted REST gateway. The registry reconciles every few
/// seconds so that recovery is measured in seconds, not in the minute of production's default.
/// </summary>
public sealed class FaultCluster : IAsyncLifetime
{
    public const int MaxConcurrent = 200;
    public const int StreamPortsPerSilo = 60;
    public static readonly TimeSpan ReconcileInterval = TimeSpan.FromSeconds(5);
    public static readonly TimeSpan StartDeadline = TimeSpan.FromSeconds(180);

    private readonly string _id = $"f{Guid.NewGuid():N}"[..16];
    private readonly IReadOnlyList<string> _siloArgs;
    private IHost? _client;

    public FaultCluster() : this([])
    {
    }

    /// <summary>A cluster whose silos also get <paramref name="siloArgs"/> (a test that needs other settings starts its own).</summary>
    internal FaultCluster(IReadOnlyList<string> siloArgs)
    {
        _siloArgs = siloArgs;
        Silos = [.. Enumerable.Range(0, 3).Select(i => new SiloSlot(i, $"fault-silo-{i}", FreePorts.Any(), FreePorts.Any(), FreePorts.Any(), FreePorts.Block(StreamPortsPerSilo)))];
        Http = [.. Silos.Select(s => new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{s.HttpPort}/"), Timeout = TimeSpan.FromSeconds(90) })];
    }

    internal PrivatePostgres Postgres { get; private set; } = null!;

    public IReadOnlyList<SiloSlot> Silos { get; }

    /// <summary>Each silo's co-hosted REST gateway.</summary>
    public IReadOnlyList<HttpClient> Http { get; }

    /// <summary>The cluster's id, also its Orleans service id (the <c>serviceid</c> of its rows).</summary>
    public string ServiceId => _id;

    public IClusterClient Client => _client!.Services.GetRequiredService<IClusterClient>();

    public async Task InitializeAsync()
    {
        Postgres = await PrivatePostgres.StartAsync();
        await using (var initDb = ChildProcess.Start($"{_id}-init-db", Binary, ["init-db", $"--Focus:Cluster:ConnectionString={Postgres.ConnectionString}"]))
        {
            var exit = await initDb.WaitForExitAsync(TimeSpan.FromSeconds(120));
            Assert.True(exit == 0, $"init-db exited {exit}\n{initDb.Tail()}");
        }
        await Task.WhenAll(Silos.Select(s => StartSiloAsync(s.Index)));

        var builder = Host.CreateApplicationBuilder();
        builder.Logging.ClearProviders();
        builder.UseOrleansClient(client =>
        {
            client.Configure<ClusterOptions>(o => (o.ClusterId, o.ServiceId) = (_id, _id));
            client.UseAdoNetClustering(o => (o.Invariant, o.ConnectionString) = ("Npgsql", Postgres.ConnectionString));
            client.Configure<ClientMessagingOptions>(o => o.ResponseTimeout = TimeSpan.FromSeconds(15));
            client.Configure<GatewayOptions>(o => o.GatewayListRefreshPeriod = TimeSpan.FromSeconds(2));
        });
        _client = builder.Build();
        await _client.StartAsync();
    }

    public async Task DisposeAsync()
    {
        if (_client is not null)
        {
            try
            {
                await _client.StopAsync().WaitAsync(TimeSpan.FromSeconds(20));
            }
            catch (Exception)
            {
                // a client whose cluster is gone may not stop cleanly; the processes go next anyway
            }
            _client.Dispose();
        }
        foreach (var http in Http) http.Dispose();
        foreach (var silo in Silos)
            if (silo.Process is { } process) await process.DisposeAsync();
        if (Postgres is not null) await Postgres.DisposeAsync();
    }

    /// <summary>Starts (or restarts) silo <paramref name="index"/> and waits until it serves and membership lists it active.</summary>
    public async Task StartSiloAsync(int index)
    {
        var slot = Silos[index];
        if (slot.Process is { HasExited: false }) return;
        if (slot.Process is { } old) await old.DisposeAsync();
        slot.Process = ChildProcess.Start($"{_id}-{slot.Name}", Binary,
        [
            "--Focus:Cluster:Kind=adonet",
            $"--Focus:Cluster:ConnectionString={Postgres.ConnectionString}",
            $"--Focus:Cluster:ClusterId={_id}",
            $"--Focus:Cluster:ServiceId={_id}",
            $"--Focus:Cluster:SiloName={slot.Name}",
            "--Focus:Cluster:AdvertisedAddress=127.0.0.1",
            $"--Focus:Cluster:SiloPort={slot.SiloPort}",
            $"--Focus:Cluster:GatewayPort={slot.GatewayPort}",
            $"--Focus:Jobs:MaxConcurrent={MaxConcurrent}",
            "--Focus:Jobs:IdleTimeout=00:10:00",
            $"--Focus:Jobs:ReconcileInterval={ReconcileInterval}",
            $"--Focus:Streams:PortRange={slot.StreamPorts.First}-{slot.StreamPorts.Last}",
            "--Focus:Streams:BindAddress=127.0.0.1",
            $"--Urls=http://127.0.0.1:{slot.HttpPort}",
            "--Logging:LogLevel:Default=Warning",
            "--Logging:LogLevel:Focus=Information",
            .. _siloArgs,
        ]);
        await Eventually(async () => !slot.Process.HasExited && await IsOkAsync(Http[index], "health/ready"),
            StartDeadline, () => $"{slot.Name} not ready\n{slot.Process.Tail()}");
        await WaitForActiveSilosAsync(Silos.Count(s => s.Process is { HasExited: false }));
    }

    /// <summary>kill -9.</summary>
    public void KillSilo(int index) => Silos[index].Process!.Kill();

    /// <summary>PostgreSQL up and every silo running and ready: what a test starts from whatever the last one did.</summary>
    public async Task EnsureWholeAsync()
    {
        if (!Postgres.IsUp) await Postgres.RestartAsync();
        foreach (var silo in Silos)
            if (silo.Process is null or { HasExited: true }) await StartSiloAsync(silo.Index);
        await WaitForActiveSilosAsync(Silos.Count);
    }

    public Task WaitForActiveSilosAsync(int count) =>
        Eventually(async () => await ActiveSilosAsync() == count, StartDeadline, () => $"membership never showed {count} active silos\n{Tails()}");

    public async Task<int> ActiveSilosAsync()
    {
        try
        {
            await using var connection = new NpgsqlConnection(Postgres.ConnectionString);
            await connection.OpenAsync();
            await using var command = new NpgsqlCommand("SELECT count(*) FROM orleansmembershiptable WHERE deploymentid = @id AND status = 3", connection);
            command.Parameters.AddWithValue("id", _id);
            return Convert.ToInt32(await command.ExecuteScalarAsync(), CultureInfo.InvariantCulture);
        }
        catch (NpgsqlException)
        {
            return -1;
        }
    }

    /// <summary>The slot of the silo the registry grain is active on now.</summary>
    public async Task<SiloSlot> RegistrySiloAsync()
    {
        var management = Client.GetGrain<IManagementGrain>(0);
        var registry = Client.GetGrain<IJobRegistryGrain>(JobRegistryKey.Value);
        await registry.ActiveCount(); // activates it if it is not
        var address = await management.GetActivationAddress(registry);
        return Silos.Single(s => s.SiloPort == address!.Endpoint.Port);
    }

    public SiloSlot SiloNamed(string name) => Silos.Single(s => s.Name == name);

    /// <summary>The REST gateway of a silo that runs.</summary>
    public HttpClient AnyLiveHttp => Http[Silos.First(s => s.Process is { HasExited: false }).Index];

    public string Tails(int lines = 30) => string.Join('\n', Silos.Select(s => s.Process?.Tail(lines)));

    /// <summary>Polls <paramref name="condition"/> until it holds or the deadline passes (then fails with <paramref name="why"/>).</summary>
    public static async Task Eventually(Func<Task<bool>> condition, TimeSpan deadline, Func<string> why)
    {
        var until = DateTime.UtcNow + deadline;
        while (!await condition())
        {
            if (DateTime.UtcNow > until) throw new TimeoutException($"waited {deadline}: {why()}");
            await Task.Delay(250);
        }
    }

    private static async Task<bool> IsOkAsync(HttpClient http, string path)
    {
        try
        {
            using var cancel = new CancellationTokenSource(TimeSpan.FromSeconds(10));
            using var response = await http.GetAsync(path, cancel.Token);
            return response.StatusCode == HttpStatusCode.OK;
        }
        catch (Exception ex) when (ex is HttpRequestException or TaskCanceledException)
        {
            return false;
        }
    }

    private static string Binary
    {
        get
        {
            var path = Path.Combine(AppContext.BaseDirectory, "Focus.Silo.dll");
            return File.Exists(path)
                ? path
                : throw new FileNotFoundException($"Focus.Silo.dll is not beside the tests in {AppContext.BaseDirectory}; build the solution first.", path);
        }
    }
}

/// <summary>Runs alone: three silos and a PostgreSQL that goes down need the machine to themselves.</summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class FaultClusterCollection : ICollectionFixture<FaultCluster>
{
    public const string Name = "faults";
}
