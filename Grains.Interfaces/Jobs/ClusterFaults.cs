using Orleans.Runtime;

namespace Focus.Grains.Jobs;

/// <summary>
/// Whether a grain call failed because the cluster did not answer (the silo went away, the message was rejected while
/// it moved, the call timed out) rather than because of what the grain did: a 503 the client may retry. Together with
/// <see cref="StoreFaults"/> it is every failure of a call that says nothing about the request.
/// </summary>
public static class ClusterFaults
{
    public static bool IsUnavailable(Exception exception) =>
        exception is TimeoutException or SiloUnavailableException or OrleansMessageRejectionException;

    /// <summary>The cluster or the job store did not answer: retry shortly.</summary>
    public static bool IsTransient(Exception exception) => IsUnavailable(exception) || StoreFaults.IsUnreachable(exception);
}
