using Orleans.Concurrency;

namespace Focus.Grains.Analyzers;

/// <summary>
/// Runs one job's data plane (pipeline and gRPC server) on the silo it is placed on; keyed by job id.
/// Reports to its job on a timer.
/// </summary>
[Alias("Focus.IAnalyzerWorkerGrain")]
public interface IAnalyzerWorkerGrain : IGrainWithStringKey
{
    /// <summary>Takes a stream port on this host and starts serving; returns where.</summary>
    [Alias("Start")]
    Task<AnalyzerStartResult> Start(AnalyzerAssignment assignment);

    /// <summary>Ends the streams with the given end, frees the port. Idempotent.</summary>
    [Alias("Stop")]
    Task Stop(AnalyzerStop stop);

    /// <summary>Takes up to <paramref name="rowCount"/> lines of the job's pull buffer (opened by the first pull). Never waits.</summary>
    [Alias("Pull")]
    Task<Jobs.PullResult> Pull(int rowCount);

    [Alias("IsRunning"), AlwaysInterleave]
    Task<bool> IsRunning();
}
