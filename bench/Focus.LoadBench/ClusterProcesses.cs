using System.Diagnostics;
using System.Globalization;
using Npgsql;

namespace Focus.LoadBench;

/// <summary>
/// The scale-out deployment on this host: <c>Focus.Silo init-db</c> on the given PostgreSQL, then
/// <c>--cluster N</c> silos (<c>Focus:Cluster:Kind=adonet</c>, each with its own name, Orleans ports,
/// HTTP port and stream port range) and one standalone <c>Focus.Gateway</c>, which the clients use.
/// A ClusterId of its own keeps the run apart from anything else in the database.
/// </summary>
internal sealed class ClusterProcesses(string repoRoot, BenchOptions options) : IDeployment
{
    private static readonly TimeSpan StartTimeout = TimeSpan.FromSeconds(180);
    private readonly string _clusterId = $"bench{Environment.ProcessId}x{DateTime.UtcNow:HHmmss}";
    private readonly List<ServiceProcess> _silos = [];
    private readonly List<ServiceProcess> _all = [];
    private ServiceProcess? _gateway;
    private ServiceProcess? _initDb;

    public string Subject => "cluster";

    public string Label => $"{options.ClusterSilos} silos + gateway";

    public string Description => $"{options.ClusterSilos} silos (adonet on PostgreSQL, ClusterId {_clusterId}) + 1 standalone gateway, all on this host";

    public Uri BaseAddress => (_gateway ?? throw new InvalidOperationException("not started")).BaseAddress;

    public IReadOnlyList<ServiceProcess> Processes => _all;

    public IReadOnlyList<ServiceProcess> Silos => _silos;

    public async Task StartAsync(HttpClient http, CancellationToken ct)
    {
        var watch = Stopwatch.StartNew();
        _initDb = ServiceProcess.Start("init-db", repoRoot, "Silo", ["init-db", $"--Focus:Cluster:ConnectionString={options.Postgres}"],
            new Uri("http://127.0.0.1/"));
        var exit = await _initDb.WaitForExitAsync(TimeSpan.FromSeconds(120), ct);
        if (exit != 0) throw new InvalidOperationException($"init-db exited with {exit}; see {_initDb.LogPath}");
        Log($"init-db done in {watch.Elapsed.TotalSeconds:0.0} s");

        for (var i = 0; i < options.ClusterSilos; i++)
        {
            var httpPort = ServiceProcess.FreePort();
            var streams = ServiceProcess.FreeRange(options.Jobs + 60); // any silo may end up with every job
            var silo = ServiceProcess.Start($"silo-{i}", repoRoot, "Silo",
            [
                .. CommonArgs(),
                $"--Focus:Cluster:SiloName=silo-{i}",
                "--Focus:Cluster:AdvertisedAddress=127.0.0.1",
                $"--Focus:Cluster:SiloPort={ServiceProcess.FreePort()}",
                $"--Focus:Cluster:GatewayPort={ServiceProcess.FreePort()}",
                $"--Urls=http://127.0.0.1:{httpPort}",
                $"--Focus:Streams:PortRange={streams.First}-{streams.Last}",
                "--Focus:Streams:BindAddress=127.0.0.1",
                $"--Focus:Jobs:MaxConcurrent={Math.Max(200, options.Jobs)}",
                "--Focus:Jobs:IdleTimeout=00:15:00", // unread jobs must outlive the bench
                .. options.SiloArgs,
            ], new Uri($"http://127.0.0.1:{httpPort}/"));
            _silos.Add(silo);
            _all.Add(silo);
            Log($"{silo.Name} pid {silo.Pid} at {silo.BaseAddress} (stream ports {streams.First}-{streams.Last}), log {silo.LogPath}");
        }
        await Task.WhenAll(_silos.Select(s => s.WaitReadyAsync(http, StartTimeout, ct, "health/ready")));
        await WaitForActiveSilosAsync(ct);
        Log($"{_silos.Count} silos active in membership after {watch.Elapsed.TotalSeconds:0.0} s");

        var gatewayPort = ServiceProcess.FreePort();
        _gateway = ServiceProcess.Start("gateway", repoRoot, "Gateway", [.. CommonArgs(), $"--Urls=http://127.0.0.1:{gatewayPort}"],
            new Uri($"http://127.0.0.1:{gatewayPort}/"));
        _all.Add(_gateway);
        Log($"gateway pid {_gateway.Pid} at {_gateway.BaseAddress}, log {_gateway.LogPath}");
        await _gateway.WaitReadyAsync(http, StartTimeout, ct, "health/ready", "channels");
    }

    private IEnumerable<string> CommonArgs() =>
    [
        "--Focus:Cluster:Kind=adonet",
        $"--Focus:Cluster:ConnectionString={options.Postgres}",
        $"--Focus:Cluster:ClusterId={_clusterId}",
        $"--Focus:Cluster:ServiceId={_clusterId}",
        "--Logging:LogLevel:Default=Warning",
        "--Logging:LogLevel:Orleans.Runtime.Silo=Warning",
    ];

    /// <summary>
    /// Until the membership table lists every silo as active (status 3): a silo's /health/ready says it
    /// joined, this says the others (and so the registry's placement) can see all of them.
    /// </summary>
    private async Task WaitForActiveSilosAsync(CancellationToken ct)
    {
        var until = Stopwatch.StartNew();
        while (true)
        {
            await using (var connection = new NpgsqlConnection(options.Postgres))
            {
                await connection.OpenAsync(ct);
                await using var command = new NpgsqlCommand(
                    "SELECT count(*) FROM orleansmembershiptable WHERE deploymentid = @id AND status = 3", connection);
                command.Parameters.AddWithValue("id", _clusterId);
                var active = Convert.ToInt32(await command.ExecuteScalarAsync(ct), CultureInfo.InvariantCulture);
                if (active == _silos.Count) return;
                if (until.Elapsed > StartTimeout)
                    throw new TimeoutException($"membership shows {active} of {_silos.Count} silos active after {StartTimeout}");
            }
            foreach (var silo in _silos)
                if (silo.HasExited) throw new InvalidOperationException($"{silo.Name} exited with {silo.ExitCode}; see {silo.LogPath}");
            await Task.Delay(500, ct);
        }
    }

    /// <summary>Gateway and silos get SIGTERM together, as an orchestrator stopping the deployment would do.</summary>
    public async Task<IReadOnlyList<(string Name, TimeSpan? Exited)>> StopAsync(TimeSpan grace)
    {
        var stops = _all.Select(async p => (p.Name, await p.StopAsync(grace))).ToList();
        return await Task.WhenAll(stops);
    }

    public void KillNow()
    {
        _initDb?.KillNow();
        foreach (var process in _all) process.KillNow();
    }

    public async ValueTask DisposeAsync()
    {
        if (_initDb is not null) await _initDb.DisposeAsync();
        foreach (var process in _all) await process.DisposeAsync();
    }

    /// <summary>init-db counts too when looking for orphans.</summary>
    public IReadOnlyList<string> Orphans() =>
        [.. _all.Append(_initDb).OfType<ServiceProcess>().Where(p => !p.IsGone()).Select(p => $"{p.Name} pid {p.Pid}")];

    private static void Log(string message) => Console.Error.WriteLine($"{DateTime.Now:HH:mm:ss} {message}");
}
