namespace Focus.Analyzer.Launcher;

/// <summary>
/// <c>Focus:Analyzer</c>: where a job's data plane runs. <c>grain</c> (default): in the silo's process, beside its
/// <c>AnalyzerWorkerGrain</c>. <c>process</c>: in a child process of the silo per job (<c>Focus.Analyzer --job</c>),
/// started, watched, restarted and killed by the silo — the isolation a pod per job gives, on one machine.
/// </summary>
public sealed class AnalyzerHostOptions
{
    public const string Section = "Focus:Analyzer";
    public AnalyzerHostKind Host { get; set; } = AnalyzerHostKind.Grain;

    /// <summary><c>Focus.Analyzer.dll</c> (run with <c>dotnet</c>) or an executable; empty: the one beside this process's assemblies.</summary>
    public string ProcessPath { get; set; } = "";

    /// <summary>
    /// Analyzer processes kept started and warmed up ahead of need: a job takes one instead of starting a process, and
    /// a new one is started after it. 0: every job starts its own process.
    /// </summary>
    public int SpareProcesses { get; set; } = 1;

    /// <summary>Restarts of a job's process that exited or stopped answering while the job runs; then the job fails.</summary>
    public int MaxRestarts { get; set; } = 3;

    /// <summary>The first restart's delay; each next one doubles it (with jitter), up to 10 s.</summary>
    public TimeSpan RestartDelay { get; set; } = TimeSpan.FromMilliseconds(500);

    /// <summary>How long a process may take until its port accepts calls.</summary>
    public TimeSpan StartTimeout { get; set; } = TimeSpan.FromSeconds(20);

    /// <summary>A process silent this long (it reports 4 times a second) is taken as hung: killed, then restarted.</summary>
    public TimeSpan HealthTimeout { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>How long a stopped process may take to end its streams and exit before it is killed.</summary>
    public TimeSpan StopTimeout { get; set; } = TimeSpan.FromSeconds(5);

    public bool IsProcess => Host == AnalyzerHostKind.Process;

    /// <summary><see cref="ProcessPath"/>, or <c>Focus.Analyzer.dll</c> beside this process's assemblies.</summary>
    public string ResolvedProcessPath => ProcessPath is { Length: > 0 } path
        ? Path.GetFullPath(path)
        : Path.Combine(AppContext.BaseDirectory, typeof(AnalyzerHostOptions).Assembly.GetName().Name + ".dll");
}
