using Grpc.Core;

namespace Focus.Gateway.Streaming;

/// <summary>
/// The relay calls open now, per job and per client, so one browser (or a script posing as many) cannot open calls
/// without bound: each holds an upstream call per stream and a buffer. Over a cap the call is refused with
/// RESOURCE_EXHAUSTED naming the cap.
/// </summary>
public sealed class RelayCalls
{
    private readonly Dictionary<string, int> _perJob = new(StringComparer.Ordinal);
    private readonly Dictionary<string, int> _perClient = new(StringComparer.Ordinal);
    private readonly Lock _gate = new();

    public int Open
    {
        get { lock (_gate) return _perJob.Values.Sum(); }
    }

    /// <summary>Counts a new call, or throws RESOURCE_EXHAUSTED when the job or the client is at its cap.</summary>
    public IDisposable Enter(string jobId, string client, ViewerOptions options)
    {
        lock (_gate)
        {
            var forJob = _perJob.GetValueOrDefault(jobId);
            if (forJob >= options.RelayCallsPerJob)
                throw Exhausted($"job {jobId} already has {forJob} viewer relay calls, at most {options.RelayCallsPerJob} ({ViewerOptions.Section}:RelayCallsPerJob)");
            var forClient = _perClient.GetValueOrDefault(client);
            if (forClient >= options.RelayCallsPerClient)
                throw Exhausted($"client {client} already has {forClient} viewer relay calls open, at most {options.RelayCallsPerClient} ({ViewerOptions.Section}:RelayCallsPerClient)");
            _perJob[jobId] = forJob + 1;
            _perClient[client] = forClient + 1;
        }
        return new Lease(this, jobId, client);
    }

    private void Leave(string jobId, string client)
    {
        lock (_gate)
        {
            Decrement(_perJob, jobId);
            Decrement(_perClient, client);
        }
    }

    private static void Decrement(Dictionary<string, int> counts, string key)
    {
        if (counts.TryGetValue(key, out var n) && n > 1) counts[key] = n - 1;
        else counts.Remove(key); // no entry left behind for a job or client with no call
    }

    private static RpcException Exhausted(string detail) => new(new Status(StatusCode.ResourceExhausted, detail));

    private sealed class Lease(RelayCalls calls, string jobId, string client) : IDisposable
    {
        private int _disposed;

        public void Dispose()
        {
            if (Interlocked.Exchange(ref _disposed, 1) == 0) calls.Leave(jobId, client);
        }
    }
}
