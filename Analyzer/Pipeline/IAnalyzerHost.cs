namespace Focus.Analyzer.Pipeline;

/// <summary>
/// Runs jobs' data planes in this process: for each, a gRPC server on the job's port and a pipeline
/// on its own threads. One per silo (DI singleton); its grain only starts, polls and stops.
/// </summary>
public interface IAnalyzerHost
{
    /// <summary>
    /// Starts serving <paramref name="spec"/> on <paramref name="port"/>; returns when the port accepts
    /// gRPC calls. Throws <see cref="StreamPortUnavailableException"/> when the port cannot be bound
    /// (nothing is left running then).
    /// </summary>
    Task<IAnalyzerJob> StartAsync(PipelineSpec spec, int port, CancellationToken cancellationToken);

    /// <summary>Jobs this host runs now (for leak checks and /metrics).</summary>
    int RunningJobs { get; }
}

public interface IAnalyzerJob
{
    PipelineSpec Spec { get; }
    int Port { get; }

    /// <summary>The job's live queue on the broker, or null (the simulator has none).</summary>
    string? Queue { get; }

    /// <summary>A cheap snapshot; safe to call from a grain turn.</summary>
    JobProgress Progress { get; }

    /// <summary>
    /// Takes up to <paramref name="maxLines"/> of the oldest lines of the job's pull buffer (and no more than
    /// <paramref name="maxBytes"/> of values, at least one line), opening it on the first pull (it closes after
    /// <paramref name="idleTimeout"/> without one). In process never waits; a job in an analyzer process asks it.
    /// </summary>
    ValueTask<Streaming.PullTake> PullAsync(int maxLines, TimeSpan idleTimeout, long maxBytes = long.MaxValue);

    /// <summary>
    /// Ends every stream with the status of <paramref name="end"/>, stops the pipeline and the server and
    /// frees the port. Idempotent; completes within about a second.
    /// </summary>
    Task StopAsync(JobEnd end);
}

public sealed class StreamPortUnavailableException(int port, Exception? inner = null)
    : Exception($"stream port {port} is in use by another process", inner)
{
    public int Port { get; } = port;
}
