using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace Focus.Grains.Analyzers;

/// <summary>
/// Gives the garbage collector's free memory back once the silo has gone quiet: no analyzer job on it and no
/// collection for a whole <see cref="Tick"/>, after some activity since the last time. Server GC sizes its budgets to
/// the last busy period and an idle process collects nothing, so a silo that was busy kept that memory while idle (the
/// soak bench: 110–123 MiB committed for a 75 MiB heap, docs/RELIABILITY.md). Never while a job runs: the collection
/// is blocking and compacting (<see cref="GCCollectionMode.Aggressive"/> also decommits), a pause of tens of
/// milliseconds that a live job would see.
/// </summary>
internal sealed partial class IdleMemoryTrim(LocalAnalyzerJobs jobs, TimeProvider clock, ILogger<IdleMemoryTrim> logger) : BackgroundService
{
    internal static readonly TimeSpan Tick = TimeSpan.FromSeconds(15);

    private int _lastCollections = -1;
    private bool _dirty;

    /// <summary>Collections this service asked for (for tests and the log).</summary>
    internal int Trims { get; private set; }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(Tick, clock);
        try
        {
            while (await timer.WaitForNextTickAsync(stoppingToken))
                OnTick(GC.CollectionCount(0));
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
            // the silo stops
        }
    }

    /// <summary>One look: <paramref name="collections"/> is the runtime's gen0 collection count now.</summary>
    internal void OnTick(int collections)
    {
        var quiet = collections == _lastCollections;
        _lastCollections = collections;
        if (jobs.Count > 0 || !quiet)
        {
            _dirty = true;
            return;
        }
        if (!_dirty) return;
        _dirty = false;
        var before = GC.GetGCMemoryInfo().TotalCommittedBytes;
        GC.Collect(GC.MaxGeneration, GCCollectionMode.Aggressive, blocking: true, compacting: true);
        Trims++;
        _lastCollections = collections + 1; // its own collection (counted in every generation) is not activity
        LogTrimmed(before >> 20, GC.GetGCMemoryInfo().TotalCommittedBytes >> 20);
    }

    [LoggerMessage(1, LogLevel.Information, "Silo idle: the garbage collector's committed memory trimmed from {BeforeMiB} to {AfterMiB} MiB")]
    private partial void LogTrimmed(long beforeMiB, long afterMiB);
}
