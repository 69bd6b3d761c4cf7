using System.Globalization;
using System.Net;
using Focus.IntegrationTests.Infrastructure;
using Npgsql;

namespace Focus.IntegrationTests.Cluster;

/// <summary>
/// A real scale-out deployment on loopback: three silo processes (<c>Focus.Silo.dll</c>, adonet on the
/// PostgreSQL test.sh started) and two standalone gateway processes (<c>Focus.Gateway.dll</c>), each
/// with ports of its own and its own block of stream ports. Its own ClusterId/ServiceId keep it apart
/// from other runs in the same database. Silos can be killed, stopped and restarted.
/// </summary>
public sealed class FocusCluster : IAsyncLifetime
{
    public const int MaxConcurrent = 200;
    public const int MaxJobsPerSilo = 90;
    public const int StreamPortsPerSilo = 120;
    public static readonly TimeSpan StartDeadline = TimeSpan.FromSeconds(120);

    private readonly string _id = $"t{Guid.NewGuid():N}"[..16];
    private readonly string _postgres = TestPostgres.ConnectionString;
    private readonly List<ChildProcess> _gateways = [];
    private readonly IReadOnlyList<string> _extraArgs = [];

    public FocusCluster()
    {
        Silos = [.. Enumerable.Range(0, 3).Select(i => new SiloSlot(i, $"silo-{i}", FreePorts.Any(), FreePorts.Any(), FreePorts.Any(), FreePorts.Block(StreamPortsPerSilo)))];
        GatewayPorts = [FreePorts.Any(), FreePorts.Any()];
    }

    /// <summary>A cluster whose every silo and gateway also gets <paramref name="extraArgs"/> (e.g. an OTLP endpoint).</summary>
    internal FocusCluster(IReadOnlyList<string> extraArgs) : this() => _extraArgs = extraArgs;

    public IReadOnlyList<SiloSlot> Silos { get; }

    public IReadOnlyList<int> GatewayPorts { get; }

    public HttpClient[] Gateways { get; private set; } = [];

    /// <summary>How long the silos and gateways took to be ready, for the report.</summary>
    public TimeSpan StartedIn { get; private set; }

    public async Task InitializeAsync()
    {
        var started = DateTime.UtcNow;
        await InitDbAsync();
        await Task.WhenAll(Silos.Select(s => StartSiloAsync(s.Index)));
        foreach (var port in GatewayPorts)
            _gateways.Add(ChildProcess.Start($"gateway-{port}", Binary("Focus.Gateway.dll"), [.. CommonArgs(), $"--Urls=http://127.0.0.1:{port}"]));
        Gateways = [.. GatewayPorts.Select(p => new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{p}/"), Timeout = TimeSpan.FromSeconds(60) })];
        for (var g = 0; g < Gateways.Length; g++)
            await WaitUntilAsync(async () => await IsOkAsync(Gateways[g], "health/ready") && await IsOkAsync(Gateways[g], "channels"),
                StartDeadline, () => $"gateway {GatewayPorts[g]} not ready\n{_gateways[g].Tail()}");
        StartedIn = DateTime.UtcNow - started;
    }

    public async Task DisposeAsync()
    {
        foreach (var http in Gateways) http.Dispose();
        foreach (var gateway in _gateways) await gateway.DisposeAsync();
        foreach (var silo in Silos)
            if (silo.Process is { } process) await process.DisposeAsync();
    }

    /// <summary>The schema, applied idempotently by the silo's own command (each fixture runs it; the second run changes nothing).</summary>
    private async Task InitDbAsync()
    {
        await using var initDb = ChildProcess.Start("init-db", Binary("Focus.Silo.dll"), ["init-db", $"--Focus:Cluster:ConnectionString={_postgres}"]);
        var exit = await initDb.WaitForExitAsync(TimeSpan.FromSeconds(90));
        Assert.True(exit == 0, $"init-db exited {exit}\n{initDb.Tail()}");
    }

    /// <summary>Starts (or restarts) silo <paramref name="index"/> and waits until it serves and is active in membership.</summary>
    public async Task StartSiloAsync(int index)
    {
        var slot = Silos[index];
        if (slot.Process is { HasExited: false }) return;
        if (slot.Process is { } old) await old.DisposeAsync();
        slot.Process = ChildProcess.Start(slot.Name, Binary("Focus.Silo.dll"),
        [
            .. CommonArgs(),
            $"--Focus:Cluster:SiloName={slot.Name}",
            "--Focus:Cluster:AdvertisedAddress=127.0.0.1",
            $"--Focus:Cluster:SiloPort={slot.SiloPort}",
            $"--Focus:Cluster:GatewayPort={slot.GatewayPort}",
            $"--Focus:Cluster:MaxJobsPerSilo={MaxJobsPerSilo}",
            $"--Focus:Jobs:MaxConcurrent={MaxConcurrent}",
            "--Focus:Jobs:IdleTimeout=00:10:00",
            $"--Focus:Streams:PortRange={slot.StreamPorts.First}-{slot.StreamPorts.Last}",
            "--Focus:Streams:BindAddress=127.0.0.1",
            $"--Urls=http://127.0.0.1:{slot.HttpPort}",
        ]);
        using var http = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{slot.HttpPort}/"), Timeout = TimeSpan.FromSeconds(10) };
        await WaitUntilAsync(async () => !slot.Process.HasExited && await IsOkAsync(http, "health/ready"),
            StartDeadline, () => $"{slot.Name} not ready\n{slot.Process.Tail()}");
        await WaitForActiveSilosAsync(Silos.Count(s => s.Process is { HasExited: false }));
    }

    public void KillSilo(int index) => Silos[index].Process!.Kill();

    public Task<int> StopSiloAsync(int index) => Silos[index].Process!.StopAsync(TimeSpan.FromSeconds(60));

    /// <summary>Every silo that should run runs again (a test that killed or stopped one leaves the next a full cluster).</summary>
    public async Task EnsureAllSilosUpAsync()
    {
        foreach (var silo in Silos)
            if (silo.Process is null or { HasExited: true }) await StartSiloAsync(silo.Index);
    }

    /// <summary>Waits until membership (the PostgreSQL table itself) lists exactly <paramref name="count"/> active silos.</summary>
    public Task WaitForActiveSilosAsync(int count) =>
        WaitUntilAsync(async () => await ActiveSilosAsync() == count, StartDeadline, () => $"membership never showed {count} active silos");

    public async Task<int> ActiveSilosAsync()
    {
        await using var connection = new NpgsqlConnection(_postgres);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand("SELECT count(*) FROM orleansmembershiptable WHERE deploymentid = @id AND status = 3", connection);
        command.Parameters.AddWithValue("id", _id);
        return Convert.ToInt32(await command.ExecuteScalarAsync(), CultureInfo.InvariantCulture);
    }

    public SiloSlot SiloNamed(string name) => Silos.Single(s => s.Name == name);

    public string Tails() => string.Join('\n', Silos.Select(s => s.Process?.Tail(25)).Concat(_gateways.Select(g => g.Tail(25))));

    private IEnumerable<string> CommonArgs() =>
    [
        "--Focus:Cluster:Kind=adonet",
        $"--Focus:Cluster:ConnectionString={_postgres}",
        $"--Focus:Cluster:ClusterId={_id}",
        $"--Focus:Cluster:ServiceId={_id}",
        "--Logging:LogLevel:Default=Warning",
        "--Logging:LogLevel:Focus=Information",
        .. _extraArgs,
    ];

    /// <summary>The silo and gateway as built with these tests (the project references both, so they sit beside this assembly).</summary>
    private static string Binary(string dll)
    {
        var path = Path.Combine(AppContext.BaseDirectory, dll);
        return File.Exists(path) && File.Exists(Path.ChangeExtension(path, ".runtimeconfig.json"))
            ? path
            : throw new FileNotFoundException($"{dll} (with its runtimeconfig.json) is not beside the tests in {AppContext.BaseDirectory}; build the solution first (dotnet build Focus.Orleans.sln).", path);
    }

    private static async Task<bool> IsOkAsync(HttpClient http, string path)
    {
        try
        {
            using var response = await http.GetAsync(path);
            return response.StatusCode == HttpStatusCode.OK;
        }
        catch (Exception ex) when (ex is HttpRequestException or TaskCanceledException)
        {
            return false;
        }
    }

    /// <summary>Polls <paramref name="condition"/> until it holds or the deadline passes (then fails with <paramref name="why"/>).</summary>
    public static Task WaitUntilAsync(Func<Task<bool>> condition, TimeSpan deadline, Func<string> why) =>
        Infrastructure.Polling.Eventually(condition, why, deadline);
}

/// <summary>One silo's place in the cluster: its name and ports stay the same across restarts.</summary>
public sealed class SiloSlot(int index, string name, int siloPort, int gatewayPort, int httpPort, (int First, int Last) streamPorts)
{
    public int Index { get; } = index;
    public string Name { get; } = name;
    public int SiloPort { get; } = siloPort;
    public int GatewayPort { get; } = gatewayPort;
    public int HttpPort { get; } = httpPort;
    public (int First, int Last) StreamPorts { get; } = streamPorts;
    internal ChildProcess? Process { get; set; }
}

/// <summary>Runs alone, after the other collections: five processes on a 2-core CI machine need its cores to meet the 15 s loss deadline.</summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class ClusterCollection : ICollectionFixture<FocusCluster>
{
    public const string Name = "cluster";
}
