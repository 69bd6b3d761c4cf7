using System.Collections.Concurrent;
using Focus.Grains.Exposure;
using Focus.Grains.Jobs;

namespace Focus.IntegrationTests.Control;

/// <summary>The direct exposure (the analyzer's own host and port), counting what it exposed, with a fault on demand.</summary>
public sealed class FaultyStreamExposure : IStreamExposure
{
    private readonly ConcurrentDictionary<string, bool> _exposed = new();

    public int Exposed => _exposed.Count;

    /// <summary>When set, the next expose throws it after recording the exposure (a half-made Service).</summary>
    public Exception? FailNextExpose { get; set; }

    public Task<ExposedStream> ExposeAsync(string jobId, JobResources resources, CancellationToken cancellationToken)
    {
        _exposed[jobId] = true;
        if (FailNextExpose is { } fault)
        {
            FailNextExpose = null;
            throw fault;
        }
        return Task.FromResult(new ExposedStream(resources.StreamHost, resources.StreamPort));
    }

    public Task ReleaseAsync(string jobId, CancellationToken cancellationToken)
    {
        _exposed.TryRemove(jobId, out _);
        return Task.CompletedTask;
    }
}
