namespace Focus.LoadBench;

/// <summary>
/// One silo with its co-hosted gateway (localhost clustering, the default deployment) on free HTTP,
/// Orleans and stream ports.
/// </summary>
internal sealed class SingleSilo(string repoRoot, BenchOptions options) : IDeployment
{
    private static readonly TimeSpan StartTimeout = TimeSpan.FromSeconds(120);
    private ServiceProcess? _silo;

    public string Subject => "silo";

    public string Label => "1 silo";

    public string Description => "1 silo (localhost clustering, co-hosted gateway)";

    public Uri BaseAddress => Silo.BaseAddress;

    public ServiceProcess Silo => _silo ?? throw new InvalidOperationException("not started");

    public IReadOnlyList<ServiceProcess> Processes => _silo is null ? [] : [_silo];

    public IReadOnlyList<ServiceProcess> Silos => Processes;

    public async Task StartAsync(HttpClient http, CancellationToken ct)
    {
        var httpPort = ServiceProcess.FreePort();
        var streams = ServiceProcess.FreeRange(options.Jobs + 60);
        _silo = ServiceProcess.Start("silo", repoRoot, "Silo",
        [
            $"--Urls=http://127.0.0.1:{httpPort}",
            $"--Focus:Cluster:SiloPort={ServiceProcess.FreePort()}",
            $"--Focus:Cluster:GatewayPort={ServiceProcess.FreePort()}",
            $"--Focus:Streams:PortRange={streams.First}-{streams.Last}",
            "--Focus:Streams:BindAddress=127.0.0.1",
            $"--Focus:Jobs:MaxConcurrent={Math.Max(200, options.Jobs)}",
            "--Focus:Jobs:IdleTimeout=00:15:00", // unread jobs must outlive the bench
            "--Logging:LogLevel:Default=Warning",
            "--Logging:LogLevel:Orleans.Runtime.Silo=Warning",
            .. options.SiloArgs,
        ], new Uri($"http://127.0.0.1:{httpPort}/"));
        Console.Error.WriteLine($"{DateTime.Now:HH:mm:ss} silo pid {_silo.Pid} at {_silo.BaseAddress} (stream ports {streams.First}-{streams.Last}), log {_silo.LogPath}");
        await _silo.WaitReadyAsync(http, StartTimeout, ct, "channels");
    }

    public async Task<IReadOnlyList<(string Name, TimeSpan? Exited)>> StopAsync(TimeSpan grace) =>
        [(Silo.Name, await Silo.StopAsync(grace))];

    public void KillNow() => _silo?.KillNow();

    public async ValueTask DisposeAsync()
    {
        if (_silo is not null) await _silo.DisposeAsync();
    }
}
