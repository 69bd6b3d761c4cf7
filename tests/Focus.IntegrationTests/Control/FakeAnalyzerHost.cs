using System.Collections.Concurrent;
using Focus.Analyzer.Pipeline;

namespace Focus.IntegrationTests.Control;

/// <summary>
/// An analyzer host that serves nothing but counts what it runs, so a test sees every job started and stopped; its
/// jobs report whatever the test sets in <see cref="Progress"/>.
/// </summary>
public sealed class FakeAnalyzerHost : IAnalyzerHost
{
    private readonly ConcurrentDictionary<string, FakeAnalyzerJob> _running = new(); // by job: silos share the port range

    public int RunningJobs => _running.Count;

    public bool Runs(string jobId) => _running.ContainsKey(jobId);

    /// <summary>When set, the next start throws it (a host fault after the port was rented).</summary>
    public Exception? FailNextStart { get; set; }

    /// <summary>What every job reports; by default one client reads, so no job expires unless a test says so.</summary>
    public JobProgress Progress { get; set; } = Reading;

    public static readonly JobProgress Reading = new(1, 0, 0, 0, null, DateTimeOffset.MaxValue, null);

    public Task<IAnalyzerJob> StartAsync(PipelineSpec spec, int port, CancellationToken cancellationToken)
    {
        if (FailNextStart is { } fault)
        {
            FailNextStart = null;
            throw fault;
        }
        var job = new FakeAnalyzerJob(this, spec, port);
        _running[spec.JobId] = job;
        return Task.FromResult<IAnalyzerJob>(job);
    }

    private sealed class FakeAnalyzerJob(FakeAnalyzerHost host, PipelineSpec spec, int port) : IAnalyzerJob
    {
        public PipelineSpec Spec => spec;
        public int Port => port;
        public string? Queue => null;
        public JobProgress Progress => host.Progress;

        // Computes nothing, so a pull finds no line waiting.
        public ValueTask<Focus.Analyzer.Streaming.PullTake> PullAsync(int maxLines, TimeSpan idleTimeout, long maxBytes = long.MaxValue) =>
            ValueTask.FromResult(new Focus.Analyzer.Streaming.PullTake([], false, 0));

        public Task StopAsync(JobEnd end)
        {
            host._running.TryRemove(spec.JobId, out _);
            return Task.CompletedTask;
        }
    }
}
