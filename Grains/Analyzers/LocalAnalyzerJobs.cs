using System.Collections.Concurrent;

namespace Focus.Grains.Analyzers;

/// <summary>The jobs whose analyzer runs on this silo now, so a graceful shutdown can drain them.</summary>
public sealed class LocalAnalyzerJobs
{
    private readonly ConcurrentDictionary<string, byte> _jobs = new(StringComparer.Ordinal);

    public int Count => _jobs.Count;

    public IReadOnlyList<string> Snapshot() => [.. _jobs.Keys];

    internal void Add(string jobId) => _jobs.TryAdd(jobId, 0);

    internal void Remove(string jobId) => _jobs.TryRemove(jobId, out _);
}
