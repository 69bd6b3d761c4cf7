using System.Net;
using System.Net.NetworkInformation;
using Focus.Grains.Analyzers;
using Focus.Grains.Jobs;

namespace Focus.IntegrationTests.Faults;

/// <summary>
/// What a cluster holds, each counted where it lives: the registry's active jobs; the jobs (every job grain active in
/// the cluster whose record says it holds a stream, with its silo and port); the analyzer workers running a pipeline;
/// and the ports each silo process listens on in its stream block (with <c>direct</c> exposure a job's Service is its
/// listening port: there is nothing else to count). After any fault has been recovered from they name the same jobs.
/// </summary>
internal sealed record ClusterCensus(
    IReadOnlySet<string> Registry,
    IReadOnlyDictionary<string, (string Silo, int Port)> Jobs,
    IReadOnlySet<string> Workers,
    IReadOnlyDictionary<string, IReadOnlySet<int>> Listening)
{
    public int Ports => Listening.Values.Sum(p => p.Count);

    /// <summary>Every count the same, and every job's port the one its silo listens on.</summary>
    public bool IsConsistent =>
        Registry.SetEquals(Jobs.Keys)
        && Workers.SetEquals(Jobs.Keys)
        && Listening.All(silo => silo.Value.SetEquals(Jobs.Values.Where(j => j.Silo == silo.Key).Select(j => j.Port)));

    public override string ToString()
    {
        var lines = new List<string>
        {
            $"registry {Registry.Count}, jobs holding a stream {Jobs.Count}, running workers {Workers.Count}, listening job ports {Ports} ("
                + string.Join(", ", Listening.OrderBy(l => l.Key).Select(l => $"{l.Key} {l.Value.Count}")) + ")",
        };
        void Diff(string what, IEnumerable<string> ids)
        {
            var list = ids.Order().ToList();
            if (list.Count > 0) lines.Add($"  {what}: {string.Join(", ", list)}");
        }
        Diff("in the registry, no job holds a stream", Registry.Except(Jobs.Keys));
        Diff("jobs holding a stream the registry does not list", Jobs.Keys.Except(Registry));
        Diff("workers whose job holds no stream", Workers.Except(Jobs.Keys));
        Diff("jobs holding a stream without a running worker", Jobs.Keys.Except(Workers));
        foreach (var (silo, ports) in Listening)
        {
            var expected = Jobs.Values.Where(j => j.Silo == silo).Select(j => j.Port).ToHashSet();
            Diff($"{silo} listens on ports no job holds", ports.Except(expected).Select(p => p.ToString(System.Globalization.CultureInfo.InvariantCulture)));
            Diff($"{silo}: ports of jobs it does not listen on", expected.Except(ports).Select(p => p.ToString(System.Globalization.CultureInfo.InvariantCulture)));
        }
        return string.Join('\n', lines);
    }

    /// <summary>Counts now; null when the cluster cannot answer (a silo just died, the registry is moving).</summary>
    public static async Task<ClusterCensus?> TakeAsync(FaultCluster cluster)
    {
        try
        {
            var grains = cluster.Client;
            var management = grains.GetGrain<IManagementGrain>(0);
            var registry = (await grains.GetGrain<IJobRegistryGrain>(JobRegistryKey.Value).List(null)).Select(j => j.JobId).ToHashSet();

            var jobType = grains.GetGrain<IJobGrain>("census").GetGrainId().Type;
            var jobs = new Dictionary<string, (string, int)>();
            foreach (var id in await management.GetActiveGrains(jobType))
            {
                var status = await grains.GetGrain<IJobGrain>(id.Key.ToString()!).GetStatus();
                if (status is { Resources: { } resources } && !status.Phase.IsFinal())
                    jobs[status.JobId] = (resources.Silo, resources.StreamPort);
            }

            var workerType = grains.GetGrain<IAnalyzerWorkerGrain>("census").GetGrainId().Type;
            var workers = new HashSet<string>();
            foreach (var id in await management.GetActiveGrains(workerType))
                if (await grains.GetGrain<IAnalyzerWorkerGrain>(id.Key.ToString()!).IsRunning())
                    workers.Add(id.Key.ToString()!);

            return new ClusterCensus(registry, jobs, workers, ListeningPorts(cluster));
        }
        catch (Exception ex) when (ex is not OutOfMemoryException)
        {
            return null;
        }
    }

    /// <summary>The TCP ports listened on in each silo's stream block (/proc/net/tcp on Linux).</summary>
    private static Dictionary<string, IReadOnlySet<int>> ListeningPorts(FaultCluster cluster)
    {
        var listening = IPGlobalProperties.GetIPGlobalProperties().GetActiveTcpListeners()
            .Where(e => IPAddress.IsLoopback(e.Address) || e.Address.Equals(IPAddress.Any) || e.Address.Equals(IPAddress.IPv6Any))
            .Select(e => e.Port)
            .ToHashSet();
        return cluster.Silos.ToDictionary(
            s => s.Name,
            s => (IReadOnlySet<int>)listening.Where(p => p >= s.StreamPorts.First && p <= s.StreamPorts.Last).ToHashSet());
    }
}
