using System.Net;
using Focus.IntegrationTests.Cluster;
using Focus.IntegrationTests.Infrastructure;

namespace Focus.IntegrationTests.RestPull;

/// <summary>GET /waterfall through the standalone gateways of a cluster: the job's lines live on whichever silo runs it.</summary>
[Collection(ClusterCollection.Name)]
public sealed class ClusterPullTests(FocusCluster cluster) : IAsyncLifetime
{
    public Task InitializeAsync() => cluster.EnsureAllSilosUpAsync();

    public Task DisposeAsync() => Task.CompletedTask;

    [Fact]
    public async Task Jobs_on_every_silo_are_pulled_through_either_gateway_and_end_with_208()
    {
        var jobs = new List<(string Id, string Silo)>();
        try
        {
            for (var i = 0; i < 6; i++)
            {
                var job = await cluster.Gateways[i % 2].Configure(FocusApi.LiveBody(min: 40 + i, max: 41 + i, view: 0, nfft: 256));
                var id = (string)job["job_id"]!;
                jobs.Add((id, (string)(await cluster.Gateways[0].Metadata(id))["resources"]!["silo"]!));
            }
            Assert.True(jobs.Select(j => j.Silo).Distinct().Count() >= 2, $"all jobs on {jobs[0].Silo}");

            for (var i = 0; i < jobs.Count; i++)
            {
                var gateway = cluster.Gateways[(i + 1) % 2]; // not the gateway that configured it
                var rows = await gateway.PullUntil(jobs[i].Id, 5, rowCount: 5);
                Assert.All(rows, r => Assert.Equal([40 + i, 41 + i], r.Sensors.Select(s => s.Id)));
            }
        }
        finally
        {
            foreach (var (id, _) in jobs) await cluster.Gateways[0].Delete(id);
        }
        foreach (var (id, _) in jobs)
            Assert.Equal(HttpStatusCode.AlreadyReported, (await cluster.Gateways[1].Pull(id, 5)).Status);
    }
}
