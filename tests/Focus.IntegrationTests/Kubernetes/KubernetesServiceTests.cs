using System.Net;
using Focus.Analyzer.Pipeline;
using Focus.Grains.Analyzers;
using Focus.Grains.Exposure;
using Focus.Grains.Jobs;
using Focus.IntegrationTests.Infrastructure;
using Orleans;

namespace Focus.IntegrationTests.Kubernetes;

/// <summary>
/// The service with kubernetes exposure end to end over REST, against a recorded API exchange on loopback (never a
/// live cluster): /configure answers from the job's Service, every end of a job deletes it, a platform error rolls
/// the job back to nothing, and the sweeper removes Services whose job holds no stream.
/// </summary>
public sealed class KubernetesServiceTests(KubernetesFocusService service) : IClassFixture<KubernetesFocusService>
{
    private static readonly TimeSpan Deadline = TimeSpan.FromSeconds(20);
    private HttpClient Http => service.Http;
    private RecordedKubernetesApi Api => service.Api;
    private IGrainFactory Grains => service.Get<IGrainFactory>();

    [Fact]
    public async Task Configure_answers_the_Services_node_port_and_DELETE_removes_the_Service()
    {
        var job = await Http.Configure(FocusApi.LiveBody(min: 1, max: 2));
        var jobId = (string)job["job_id"]!;
        var name = JobServiceManifest.NameFor(jobId);

        Assert.True(Api.Services.TryGetValue(name, out var held), "no Service was created for the job");
        Assert.Equal(KubernetesFocusService.NodeAddress, (string)job["stream_url"]!);
        Assert.Equal((int)held["spec"]!["ports"]![0]!["nodePort"]!, (int)job["stream_port"]!);
        Assert.Equal(jobId, (string)held["metadata"]!["labels"]!["focus/job-id"]!);
        Assert.Equal(ExposureHarness.Pod, (string)held["spec"]!["selector"]!["statefulset.kubernetes.io/pod-name"]!);
        var metadata = await Http.Metadata(jobId);
        Assert.Equal((int)job["stream_port"]!, (int)metadata["stream_port"]!);

        await Http.Delete(jobId);
        Assert.False(Api.Services.ContainsKey(name), "DELETE left the job's Service");

        var metrics = await Http.GetStringAsync("metrics");
        Assert.Contains("focus_k8s_services_created_total", metrics);
        Assert.Contains("focus_k8s_services_deleted_total", metrics);
    }

    [Fact]
    public async Task A_platform_error_is_a_503_with_Retry_After_and_leaves_no_port_slot_or_Service()
    {
        var ports = service.Get<StreamPortPool>();
        var host = service.Get<IAnalyzerHost>();
        var registry = Grains.GetGrain<IJobRegistryGrain>(JobRegistryKey.Value);
        Api.Fail("POST", "services", 500, "status-internal-error.json", times: 3); // the first try and both retries

        using var response = await Http.PostJson("configure", FocusApi.LiveBody(min: 3, max: 4).ToJsonString());

        var text = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == HttpStatusCode.ServiceUnavailable, $"/configure answered {(int)response.StatusCode}: {text}");
        Assert.NotNull(response.Headers.RetryAfter);
        Assert.Contains("could not be exposed", text);
        Assert.Contains("etcdserver", text);
        Assert.Equal(0, ports.InUse);
        Assert.Equal(0, host.RunningJobs);
        Assert.Equal(0, await registry.ActiveCount());
        Assert.Empty(Api.Services);

        // Nothing leaked: the next /configure gets a slot, a port and a Service.
        var job = await Http.Configure(FocusApi.LiveBody(min: 3, max: 4));
        await Http.Delete((string)job["job_id"]!);
        Assert.Empty(Api.Services);
    }

    public static TheoryData<string> Ends => ["cancel", "expire", "fail", "silo lost", "drain"];

    [Theory]
    [MemberData(nameof(Ends))]
    public async Task Every_end_of_a_job_deletes_its_Service(string end)
    {
        var job = await Http.Configure(FocusApi.LiveBody(min: 5, max: 6));
        var jobId = (string)job["job_id"]!;
        var name = JobServiceManifest.NameFor(jobId);
        Assert.True(Api.Services.ContainsKey(name));
        var grain = Grains.GetGrain<IJobGrain>(jobId);

        var expected = end switch
        {
            "cancel" => "cancelled",
            "expire" => "expired",
            "fail" => "failed",
            "silo lost" => "failed",
            _ => "cancelled",
        };
        switch (end)
        {
            case "cancel": await Http.Delete(jobId); break;
            case "expire": break; // nobody reads it
            case "fail": await grain.ReportProgress(new JobActivity { Fault = "the pipeline faulted" }); break;
            case "silo lost": await grain.ReportLost($"silo {ExposureHarness.Pod} lost"); break;
            default: await grain.Drain($"silo {ExposureHarness.Pod} shut down"); break;
        }

        var until = DateTime.UtcNow + Deadline;
        string state;
        while ((state = (string)(await Http.Metadata(jobId))["state"]!) != expected && DateTime.UtcNow < until) await Task.Delay(100);
        Assert.Equal(expected, state);
        Assert.False(Api.Services.ContainsKey(name), $"the Service outlived the job's {end}");
        Assert.Equal(0, service.Get<StreamPortPool>().InUse);
    }

    [Fact]
    public async Task The_sweeper_deletes_Services_whose_job_holds_no_stream_and_keeps_the_rest()
    {
        var job = await Http.Configure(FocusApi.LiveBody(min: 7, max: 8));
        var jobId = (string)job["job_id"]!;
        Api.AddJobService("999-0001", ExposureHarness.Pod, DateTime.UtcNow.AddMinutes(-10)); // a job never issued here

        var deleted = await Grains.GetGrain<IStreamServiceSweeperGrain>(StreamServiceSweeperKey.Value).Sweep();

        Assert.Equal(1, deleted);
        Assert.False(Api.Services.ContainsKey("focus-job-999-0001"));
        Assert.True(Api.Services.ContainsKey(JobServiceManifest.NameFor(jobId)), "the sweeper deleted a running job's Service");
        await Http.Delete(jobId);
    }

    [Fact]
    public async Task A_delete_that_fails_ends_the_job_all_the_same_and_the_sweeper_removes_the_Service()
    {
        var job = await Http.Configure(FocusApi.LiveBody(min: 9, max: 10));
        var jobId = (string)job["job_id"]!;
        var name = JobServiceManifest.NameFor(jobId);
        Api.Fail("DELETE", "services", 503, "status-internal-error.json", times: 3);

        await Http.Delete(jobId);

        Assert.Equal("cancelled", (string)(await Http.Metadata(jobId))["state"]!);
        Assert.True(Api.Services.ContainsKey(name));
        Assert.Equal(1, await Grains.GetGrain<IStreamServiceSweeperGrain>(StreamServiceSweeperKey.Value).Sweep());
        Assert.False(Api.Services.ContainsKey(name));
    }
}
