namespace Focus.LoadBench;

/// <summary>
/// The service under test as the bench sees it: where clients send REST calls, which processes to
/// measure (CPU, memory, threads: summed, and each one), and where each silo's /metrics is.
/// </summary>
internal interface IDeployment : IAsyncDisposable
{
    /// <summary>What the report calls it: "silo" or "cluster".</summary>
    string Subject { get; }

    /// <summary>Its column title in <c>compare</c>: "1 silo", "3 silos + gateway".</summary>
    string Label { get; }

    /// <summary>One line for the report: what runs, e.g. "3 silos (adonet) + 1 standalone gateway".</summary>
    string Description { get; }

    /// <summary>REST: the silo's co-hosted gateway, or the standalone gateway.</summary>
    Uri BaseAddress { get; }

    /// <summary>The long-running processes (silos and gateways), in report order.</summary>
    IReadOnlyList<ServiceProcess> Processes { get; }

    /// <summary>Where the job metrics (focus_jobs_running, focus_lines_emitted_total, …) live: each silo.</summary>
    IReadOnlyList<ServiceProcess> Silos { get; }

    /// <summary>Starts every process and returns once clients can use <see cref="BaseAddress"/>.</summary>
    Task StartAsync(HttpClient http, CancellationToken ct);

    /// <summary>SIGTERM to every process at once; each one's time to exit, null when it had to be killed.</summary>
    Task<IReadOnlyList<(string Name, TimeSpan? Exited)>> StopAsync(TimeSpan grace);

    /// <summary>Kills every process still running; safe from any exit path (ProcessExit, finally).</summary>
    void KillNow();

    int[] Pids => [.. Processes.Select(p => p.Pid)];

    int ProblemCount => Processes.Sum(p => p.ProblemCount);

    /// <summary>Children still alive after disposal (should be none).</summary>
    IReadOnlyList<string> Orphans() => [.. Processes.Where(p => !p.IsGone()).Select(p => $"{p.Name} pid {p.Pid}")];
}
