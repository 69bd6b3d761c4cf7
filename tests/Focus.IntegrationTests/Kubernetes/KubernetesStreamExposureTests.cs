using System.Diagnostics;
using Focus.Grains.Exposure;
using k8s;
using k8s.Models;

namespace Focus.IntegrationTests.Kubernetes;

/// <summary>
/// The kubernetes exposure against a recorded exchange with the API (a real HTTP server on loopback replaying the
/// API's shapes; never a live cluster): the Service it posts, what it answers, retries, adoption, rollback, the breaker.
/// </summary>
public sealed class KubernetesStreamExposureTests
{
    [Fact]
    public async Task Expose_posts_the_job_Service_and_answers_the_node_IP_and_node_port()
    {
        await using var h = await ExposureHarness.StartAsync();

        var exposed = await h.Exposure.ExposeAsync("17-4821", ExposureHarness.Resources(50061), CancellationToken.None);

        var post = Assert.Single(h.Api.Calls("POST", "services"));
        Assert.Equal(RecordedKubernetesApi.Namespace, post.Namespace); // the kubeconfig context's namespace
        Assert.Equal($"Bearer {RecordedKubernetesApi.Token}", post.Authorization);
        // What was posted is exactly the manifest built from the pod, field for field (KubernetesClient's own models).
        var posted = KubernetesJson.Deserialize<V1Service>(post.Body);
        var pod = KubernetesJson.Deserialize<V1Pod>(await File.ReadAllTextAsync(Path.Combine(AppContext.BaseDirectory, "Kubernetes", "Recorded", "pod.json")));
        pod.Metadata.Name = ExposureHarness.Pod;
        pod.Metadata.Uid = ExposureHarness.PodUid;
        pod.Metadata.NamespaceProperty = RecordedKubernetesApi.Namespace;
        Assert.Equal(KubernetesJson.Serialize(JobServiceManifest.Build("17-4821", pod, 50061)), KubernetesJson.Serialize(posted));

        Assert.Equal("focus-job-17-4821", posted.Name());
        Assert.Equal("NodePort", posted.Spec.Type);
        Assert.Equal("focus", posted.Metadata.Labels["app.kubernetes.io/part-of"]);
        Assert.Equal("17-4821", posted.Metadata.Labels["focus/job-id"]);
        Assert.Equal(ExposureHarness.Pod, Assert.Single(posted.Spec.Selector, s => s.Key == "statefulset.kubernetes.io/pod-name").Value);
        var owner = Assert.Single(posted.Metadata.OwnerReferences);
        Assert.Equal(("v1", "Pod", ExposureHarness.Pod, ExposureHarness.PodUid), (owner.ApiVersion, owner.Kind, owner.Name, owner.Uid));
        var port = Assert.Single(posted.Spec.Ports);
        Assert.Equal((50061, "50061"), (port.Port, port.TargetPort.Value));

        var held = h.Api.Services["focus-job-17-4821"];
        Assert.Equal((int)held["spec"]!["ports"]![0]!["nodePort"]!, exposed.Port);
        Assert.Equal("127.0.0.2", exposed.Host); // the pod's status.hostIP
    }

    [Fact]
    public async Task A_configured_node_address_is_the_stream_url()
    {
        await using var h = await ExposureHarness.StartAsync(o => o.NodeAddress = "das-nodes.example.internal");
        var exposed = await h.Exposure.ExposeAsync("2-1000", ExposureHarness.Resources(), CancellationToken.None);
        Assert.Equal("das-nodes.example.internal", exposed.Host);
    }

    [Fact]
    public async Task Too_many_requests_and_server_errors_are_retried_until_created()
    {
        await using var h = await ExposureHarness.StartAsync();
        h.Api.Fail("POST", "services", 429, "status-too-many-requests.json", retryAfter: "1");
        h.Api.Fail("POST", "services", 500, "status-internal-error.json");

        var exposed = await h.Exposure.ExposeAsync("3-1000", ExposureHarness.Resources(), CancellationToken.None);

        Assert.Equal(3, h.Api.Calls("POST", "services").Count());
        Assert.True(h.Api.Services.ContainsKey("focus-job-3-1000"));
        Assert.InRange(exposed.Port, 30000, 32767);
    }

    [Fact]
    public async Task A_create_that_succeeded_unseen_is_adopted_on_the_409()
    {
        await using var h = await ExposureHarness.StartAsync();
        // The first create is carried out but answered after the per-call timeout: the retry meets 409 AlreadyExists.
        h.Api.Slow("POST", "services", TimeSpan.FromSeconds(4));

        var exposed = await h.Exposure.ExposeAsync("4-1000", ExposureHarness.Resources(), CancellationToken.None);

        Assert.Equal(2, h.Api.Calls("POST", "services").Count());
        Assert.Single(h.Api.Calls("GET", "services"), r => r.Name == "focus-job-4-1000");
        Assert.Empty(h.Api.Calls("DELETE", "services"));
        Assert.Equal((int)h.Api.Services["focus-job-4-1000"]["spec"]!["ports"]![0]!["nodePort"]!, exposed.Port);
    }

    [Fact]
    public async Task A_stale_Service_of_the_same_name_is_replaced()
    {
        await using var h = await ExposureHarness.StartAsync();
        h.Api.Pods["focus-silo-1"] = "0b7e2f4a-1c3d-4e5f-8a9b-c0d1e2f3a4b5";
        h.Api.AddJobService("5-1000", "focus-silo-1", DateTime.UtcNow.AddHours(-1)); // another pod's, an hour old

        await h.Exposure.ExposeAsync("5-1000", ExposureHarness.Resources(), CancellationToken.None);

        Assert.Equal(2, h.Api.Calls("POST", "services").Count());
        Assert.Single(h.Api.Calls("DELETE", "services"));
        var now = KubernetesJson.Deserialize<V1Service>(h.Api.Services["focus-job-5-1000"].ToJsonString());
        Assert.Equal(ExposureHarness.Pod, now.Spec.Selector["statefulset.kubernetes.io/pod-name"]);
    }

    [Fact]
    public async Task Without_a_node_port_in_the_answer_it_asks_until_there_is_one()
    {
        await using var h = await ExposureHarness.StartAsync();
        h.Api.OmitNodePort(3); // the create's answer and the next two reads

        var exposed = await h.Exposure.ExposeAsync("6-1000", ExposureHarness.Resources(), CancellationToken.None);

        Assert.Equal(3, h.Api.Calls("GET", "services").Count());
        Assert.Equal((int)h.Api.Services["focus-job-6-1000"]["spec"]!["ports"]![0]!["nodePort"]!, exposed.Port);
    }

    [Fact]
    public async Task A_platform_that_keeps_failing_is_unavailable_and_leaves_no_Service()
    {
        await using var h = await ExposureHarness.StartAsync();
        // Created, then every answer of the wait fails: the half-made Service must be deleted again.
        h.Api.OmitNodePort(1);
        h.Api.Fail("GET", "services", 500, "status-internal-error.json", times: 4);

        var failure = await Assert.ThrowsAsync<StreamExposureUnavailableException>(
            () => h.Exposure.ExposeAsync("7-1000", ExposureHarness.Resources(), CancellationToken.None));

        Assert.Contains("500", failure.Message);
        Assert.Contains("etcdserver: request timed out", failure.Message); // the Status message reaches the operator
        Assert.True(failure.RetryAfter > TimeSpan.Zero);
        Assert.Single(h.Api.Calls("DELETE", "services"));
        Assert.Empty(h.Api.Services);
    }

    [Fact]
    public async Task A_refusal_is_not_retried()
    {
        await using var h = await ExposureHarness.StartAsync();
        h.Api.Fail("POST", "services", 403, "status-forbidden.json");

        var failure = await Assert.ThrowsAsync<StreamExposureUnavailableException>(
            () => h.Exposure.ExposeAsync("8-1000", ExposureHarness.Resources(), CancellationToken.None));

        Assert.Contains("403", failure.Message);
        Assert.Single(h.Api.Calls("POST", "services"));
    }

    [Fact]
    public async Task An_API_that_does_not_answer_fails_within_the_expose_timeout()
    {
        await using var h = await ExposureHarness.StartAsync(o =>
        {
            o.RequestTimeout = TimeSpan.FromSeconds(1);
            o.ExposeTimeout = TimeSpan.FromSeconds(3);
            o.MaxRetries = 10;
        });
        h.Api.Slow("GET", "pods", TimeSpan.FromSeconds(5), times: 20);

        var clock = Stopwatch.StartNew();
        var failure = await Assert.ThrowsAsync<StreamExposureUnavailableException>(
            () => h.Exposure.ExposeAsync("9-1000", ExposureHarness.Resources(), CancellationToken.None));

        Assert.Contains("in time", failure.Message);
        Assert.InRange(clock.Elapsed, TimeSpan.Zero, TimeSpan.FromSeconds(20)); // generous: bounded, not hanging
        Assert.Empty(h.Api.Calls("POST", "services"));
    }

    [Fact]
    public async Task The_circuit_opens_after_repeated_failures_and_calls_then_fail_without_reaching_the_API()
    {
        await using var h = await ExposureHarness.StartAsync(o =>
        {
            o.MaxRetries = 0;
            o.BreakAfterFailures = 3;
            o.BreakDuration = TimeSpan.FromSeconds(30);
        });
        h.Api.Fail("GET", "pods", 500, "status-internal-error.json", times: 100);

        for (var i = 0; i < 3; i++)
            await Assert.ThrowsAsync<StreamExposureUnavailableException>(
                () => h.Exposure.ExposeAsync($"10-{1000 + i}", ExposureHarness.Resources(), CancellationToken.None));
        var reached = h.Api.Requests.Count;

        var broken = await Assert.ThrowsAsync<StreamExposureUnavailableException>(
            () => h.Exposure.ExposeAsync("10-2000", ExposureHarness.Resources(), CancellationToken.None));

        Assert.Contains("circuit open", broken.Message);
        Assert.Equal(reached, h.Api.Requests.Count);
        Assert.InRange(broken.RetryAfter, TimeSpan.FromSeconds(1), TimeSpan.FromSeconds(30));
    }

    [Fact]
    public async Task Release_deletes_the_Service_and_a_missing_one_is_fine()
    {
        await using var h = await ExposureHarness.StartAsync();
        await h.Exposure.ExposeAsync("11-1000", ExposureHarness.Resources(), CancellationToken.None);

        await h.Exposure.ReleaseAsync("11-1000", CancellationToken.None);
        await h.Exposure.ReleaseAsync("11-1000", CancellationToken.None);

        Assert.Empty(h.Api.Services);
        Assert.Equal(2, h.Api.Calls("DELETE", "services").Count());
    }
}
