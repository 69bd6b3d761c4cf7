using System.Net;
using Focus.Analyzer.Pipeline;
using Focus.Grains.Analyzers;
using Focus.IntegrationTests.Infrastructure;

namespace Focus.IntegrationTests.Gateway;

[Collection(ServiceCollection.Name)]
public sealed class JobLifecycleTests(FocusService service)
{
    private HttpClient Http => service.Http;

    [Fact]
    public async Task Metadata_tells_state_resources_and_request()
    {
        var job = await Http.Configure(FocusApi.LiveBody(min: 20, max: 21));
        var jobId = (string)job["job_id"]!;
        try
        {
            var metadata = await Http.Metadata(jobId);
            Assert.Equal("running", (string)metadata["state"]!);
            Assert.Equal("success", (string)metadata["status"]!);
            Assert.Equal((int)job["stream_port"]!, (int)metadata["resources"]!["stream_port"]!);
            Assert.Equal((int)job["stream_port"]!, (int)metadata["stream_port"]!);
            Assert.False(string.IsNullOrEmpty((string)metadata["resources"]!["silo"]!));
            Assert.True((long)metadata["resources"]!["estimated_memory_bytes"]! > 0);
            Assert.Equal(20, (int)metadata["request"]!["channels"]!["min"]!);
            var states = metadata["state_changes"]!.AsArray().Select(s => (string)s!["state"]!).ToArray();
            Assert.Equal(["configured", "starting", "running"], states);
            Assert.Equal(0, (int)metadata["connected_clients"]!);
        }
        finally
        {
            await Http.Delete(jobId);
        }
    }

    [Fact]
    public async Task Delete_cancels_frees_the_port_and_repeats_harmlessly()
    {
        var job = await Http.Configure(FocusApi.LiveBody(min: 30, max: 31));
        var jobId = (string)job["job_id"]!;
        var port = (int)job["stream_port"]!;

        using var deleted = await Http.DeleteAsync($"job/{jobId}");
        Assert.Equal(HttpStatusCode.OK, deleted.StatusCode);
        var final = await deleted.Json();
        Assert.Equal("cancelled", (string)final["state"]!);
        Assert.Equal("error", (string)final["status"]!);
        Assert.True(FreePorts.CanBind(port), $"port {port} should be free after DELETE");

        using var again = await Http.DeleteAsync($"job/{jobId}");
        Assert.Equal(HttpStatusCode.OK, again.StatusCode);
        var repeated = await again.Json();
        Assert.Equal("cancelled", (string)repeated["state"]!);
        Assert.Equal(final["state_changes"]!.ToJsonString(), repeated["state_changes"]!.ToJsonString());

        var metadata = await Http.Metadata(jobId);
        Assert.Equal("cancelled", (string)metadata["state"]!);
    }

    [Theory]
    [InlineData("metadata/999999-1")]
    [InlineData("metadata/not-a-job")]
    public async Task Unknown_ids_are_404(string path)
    {
        using var response = await Http.GetAsync(path);
        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        Assert.Contains("Invalid job_id", (string)(await response.Json())["error"]!);
        using var delete = await Http.DeleteAsync("job/999999-2");
        Assert.Equal(HttpStatusCode.NotFound, delete.StatusCode);
    }

    [Fact]
    public async Task Jobs_lists_active_jobs_and_filters_by_state()
    {
        var job = await Http.Configure(FocusApi.LiveBody(min: 40, max: 40, view: 1));
        var jobId = (string)job["job_id"]!;
        try
        {
            var listed = await (await Http.GetAsync("jobs?state=running")).Json();
            var row = listed["jobs"]!.AsArray().Single(j => (string)j!["job_id"]! == jobId)!;
            Assert.Equal("running", (string)row["state"]!);
            Assert.Equal("live", (string)row["mode"]!);
            Assert.Equal((int)job["stream_port"]!, (int)row["stream_port"]!);
            Assert.True((double)row["age_seconds"]! >= 0);

            var none = await (await Http.GetAsync("jobs?state=completed")).Json();
            Assert.DoesNotContain(none["jobs"]!.AsArray(), j => (string)j!["job_id"]! == jobId);

            using var bad = await Http.GetAsync("jobs?state=sleeping");
            Assert.Equal(HttpStatusCode.UnprocessableEntity, bad.StatusCode);
        }
        finally
        {
            await Http.Delete(jobId);
        }
        var after = await (await Http.GetAsync("jobs")).Json();
        Assert.DoesNotContain(after["jobs"]!.AsArray(), j => (string)j!["job_id"]! == jobId);
    }

    [Fact]
    public async Task Nothing_is_left_running_after_jobs_end()
    {
        var ids = new List<string>();
        for (var i = 0; i < 5; i++)
            ids.Add((string)(await Http.Configure(FocusApi.LiveBody(min: 50 + i, max: 50 + i)))["job_id"]!);
        foreach (var id in ids) await Http.Delete(id);

        Assert.Equal(0, service.Get<StreamPortPool>().InUse);
        Assert.Equal(0, service.Get<IAnalyzerHost>().RunningJobs);
    }
}
