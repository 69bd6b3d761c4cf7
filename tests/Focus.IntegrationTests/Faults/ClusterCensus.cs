using System.Net.NetworkInformation;
using Focus.Grains.Analyzers;
using Focus.Grains.Jobs;
using Focus.IntegrationTests.Cluster;

namespace Focus.IntegrationTests.Faults;

/// <summary>
/// What a cluster holds, each counted where it lives: the registry's active jobs; the jobs (every job grain active in
/// the cluster whose record says it holds a stream, with its silo and port); the analyzer workers running a pipeline;
/// and the ports each silo process listens on in its stream block (with <c>direct</c> exposure a job's Service is its
/// listening port: there is nothing else to count). After any fault has been recovered from they name the same jobs.
/// Ports in a block that another process listens on (an ephemeral port anyone on the machine may get) are reported,
/// never counted: the silo's pool skips them.
/// </summary>
internal sealed record ClusterCensus(
    IReadOnlySet<string> Registry,
    IReadOnlyDictionary<string, (string Silo, int Port)> Jobs,
    IReadOnlySet<string> Workers,
    IReadOnlyDictionary<string, IReadOnlySet<int>> Listening,
    IReadOnlySet<int> Foreign)
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
        if (Foreign.Count > 0) lines.Add($"  other processes listen in the silos' blocks on: {string.Join(", ", Foreign.Order())}");
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

            var (listening, foreign) = ListeningPorts(cluster);
            return new ClusterCensus(registry, jobs, workers, listening, foreign);
        }
        catch (Exception ex) when (ex is not OutOfMemoryException)
        {
            return null;
        }
    }

    /// <summary>The TCP ports each silo process listens on in its stream block, and those other processes listen on there.</summary>
    private static (Dictionary<string, IReadOnlySet<int>> Silos, IReadOnlySet<int> Foreign) ListeningPorts(FaultCluster cluster)
    {
        static bool InBlock(SiloSlot s, int port) => port >= s.StreamPorts.First && port <= s.StreamPorts.Last;
        var silos = cluster.Silos.ToDictionary(
            s => s.Name,
            s => (IReadOnlySet<int>)(s.Process is { HasExited: false } process
                ? ProcessListeners.Of(process.Pid).Where(p => InBlock(s, p)).ToHashSet()
                : []));
        var foreign = IPGlobalProperties.GetIPGlobalProperties().GetActiveTcpListeners()
            .Select(e => e.Port)
            .Where(p => cluster.Silos.Any(s => InBlock(s, p)) && !silos.Values.Any(own => own.Contains(p)))
            .ToHashSet();
        return (silos, foreign);
    }
}
