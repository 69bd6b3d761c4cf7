namespace Focus.LoadBench;

/// <summary>
/// The figures of one run that <c>compare</c> puts side by side, written by <c>--json</c>. Memory in MiB,
/// CPU in cores, times in milliseconds unless named otherwise; NaN is written as null.
/// </summary>
internal sealed record RunSummary
{
    public required string Subject { get; init; }

    /// <summary>The run's column title: "1 silo", "3 silos + gateway".</summary>
    public required string Label { get; init; }
    public required string Description { get; init; }
    public required string[] Processes { get; init; }
    public required DateTimeOffset StartedUtc { get; init; }
    public required string Command { get; init; }
    public required string Machine { get; init; }
    public required string LoadBefore { get; init; }
    public required string LoadAfter { get; init; }
    public double StartupSeconds { get; init; }
    public int JobsRequested { get; init; }
    public int JobsCreated { get; init; }
    public int Clients { get; init; }
    public int Channels { get; init; }
    public double? ConfigureSequentialP50 { get; init; }
    public double? ConfigureSequentialP99 { get; init; }
    public double? ConfigureLoadP50 { get; init; }
    public double? ConfigureLoadP99 { get; init; }
    public double? FirstLineSequentialP95 { get; init; }
    public double? FirstLineLoadP95 { get; init; }
    public double? CreateCpuMsPerJob { get; init; }
    public double[] JobsPerSilo { get; init; } = [];
    public double RssIdleMiB { get; init; }
    public double IdleCpu { get; init; }
    public double RssUnreadMiB { get; init; }
    public double RssPeakMiB { get; init; }
    public string? Failure { get; init; }
    public string[] Orphans { get; init; } = [];
    public StepSummary[] Steps { get; init; } = [];

    /// <summary>The largest step in which every job kept up; 0 when none did.</summary>
    public int SustainedJobs => Steps.Where(s => s.KeepUp == s.Jobs).Select(s => s.Jobs).DefaultIfEmpty(0).Max();
}

/// <summary>One read step of a <see cref="RunSummary"/>.</summary>
internal sealed record StepSummary
{
    public int Jobs { get; init; }
    public int KeepUp { get; init; }
    public double? MedianLinesPerSecond { get; init; }
    public double? MinLinesPerSecond { get; init; }
    public int ReadersWithJumps { get; init; }
    public int StreamErrors { get; init; }
    public double? LagMedianMs { get; init; }
    public double? LagMaxMs { get; init; }
    public double ServiceCpu { get; init; }
    public double[] CpuPerProcess { get; init; } = [];
    public double OtherCpu { get; init; }
    public double ServiceWait { get; init; }
    public double? LinesPerSecond { get; init; }
    public double? MsPerLine { get; init; }
    public double RssMiB { get; init; }
    public double[] RssPerProcessMiB { get; init; } = [];
    public double? ChannelsProbeP50Ms { get; init; }
    public double? ChannelsProbeMaxMs { get; init; }
}
