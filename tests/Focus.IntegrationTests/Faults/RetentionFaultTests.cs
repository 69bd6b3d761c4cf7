using System.Net;
using Focus.IntegrationTests.Infrastructure;
using Npgsql;
using Xunit.Abstractions;

namespace Focus.IntegrationTests.Faults;

/// <summary>
/// The retention sweep on the PostgreSQL cluster: jobs that ended on a silo killed afterwards are still forgotten, their
/// records deleted from PostgreSQL by the retention slice's reminder on a surviving silo, with nobody reading them.
/// </summary>
[Collection(RetentionFaultCollection.Name)]
public sealed class RetentionFaultTests(ITestOutputHelper output) : IAsyncLifetime
{
    private static readonly TimeSpan Retention = TimeSpan.FromSeconds(20);
    private readonly FaultCluster _cluster = new([$"--Focus:Jobs:Retention={Retention}"]);

    public Task InitializeAsync() => _cluster.InitializeAsync();

    public Task DisposeAsync() => _cluster.DisposeAsync();

    [Fact]
    public async Task Jobs_ended_on_a_silo_that_died_are_forgotten_in_PostgreSQL_by_the_retention_sweep()
    {
        var silos = new Dictionary<string, string>();
        for (var n = 0; n < 6; n++)
        {
            var created = await _cluster.Http[n % 3].Configure(FocusApi.LiveBody(min: 1 + n * 10, max: 3 + n * 10, height: 300, duration: 30, nfft: 256));
            var jobId = (string)created["job_id"]!;
            silos[jobId] = (string)(await _cluster.Http[0].Metadata(jobId))["resources"]!["silo"]!;
            await _cluster.Http[0].Delete(jobId);
        }
        var victim = _cluster.SiloNamed(silos.Values.GroupBy(s => s).MaxBy(g => g.Count())!.Key);
        var ended = silos.Where(j => j.Value == victim.Name).Select(j => j.Key).ToList();
        output.WriteLine($"jobs ended on {victim.Name}: {string.Join(", ", ended)}; killing it");
        Assert.Equal(ended.Count, await StoredJobs(ended));

        _cluster.KillSilo(victim.Index);
        await _cluster.WaitForActiveSilosAsync(2);

        // Nobody reads the jobs from here: only the sweep can delete their rows.
        var left = ended.Count;
        await FaultCluster.Eventually(async () => (left = await StoredJobs(ended)) == 0, TimeSpan.FromSeconds(240),
            () => $"{left} of {ended.Count} job records are still in PostgreSQL\n{_cluster.Tails()}");
        foreach (var jobId in ended)
        {
            using var response = await _cluster.AnyLiveHttp.GetAsync($"metadata/{jobId}");
            Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        }
        Assert.Equal(0, await StoredSlices());
    }

    /// <summary>Rows of these jobs' grain state (a string key is stored as the row's extension string).</summary>
    private async Task<int> StoredJobs(IReadOnlyList<string> jobIds)
    {
        await using var connection = new NpgsqlConnection(_cluster.Postgres.ConnectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(
            "SELECT count(*) FROM orleansstorage WHERE serviceid = @service AND grainidextensionstring = ANY(@ids) AND payloadbinary IS NOT NULL", connection);
        command.Parameters.AddWithValue("service", _cluster.ServiceId);
        command.Parameters.AddWithValue("ids", jobIds.ToArray());
        return Convert.ToInt32(await command.ExecuteScalarAsync(), System.Globalization.CultureInfo.InvariantCulture);
    }

    /// <summary>Rows of retention slices (their keys are the slices' ends, ISO 8601 times).</summary>
    private async Task<int> StoredSlices()
    {
        await using var connection = new NpgsqlConnection(_cluster.Postgres.ConnectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(
            "SELECT count(*) FROM orleansstorage WHERE serviceid = @service AND graintypestring ILIKE '%retention%' AND payloadbinary IS NOT NULL", connection);
        command.Parameters.AddWithValue("service", _cluster.ServiceId);
        return Convert.ToInt32(await command.ExecuteScalarAsync(), System.Globalization.CultureInfo.InvariantCulture);
    }
}

/// <summary>Runs alone: three more silos and their PostgreSQL.</summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class RetentionFaultCollection
{
    public const string Name = "faults-retention";
}
