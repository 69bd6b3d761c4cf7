using System.Net;
using Focus.IntegrationTests.Infrastructure;

namespace Focus.IntegrationTests.Auth;

/// <summary><c>Focus:Auth:Mode=apikey</c>: every route refuses without credentials, roles and owners decide the rest.</summary>
[Collection(ApiKeyCollection.Name)]
public sealed class ApiKeyAuthTests(ApiKeyService service)
{
    private static readonly string[] Secrets = [ApiKeyService.AliceKey, ApiKeyService.BobKey, ApiKeyService.RootKey, ApiKeyService.StreamSecret];

    [Fact]
    public async Task Every_route_refuses_missing_and_unknown_keys_with_a_problem_and_no_job_data()
    {
        using var alice = service.As(ApiKeyService.AliceKey);
        var jobId = (string)(await alice.Configure(FocusApi.LiveBody()))["job_id"]!;
        try
        {
            foreach (var key in new[] { null, "not-a-key", ApiKeyService.AliceKey + "x" })
            {
                using var caller = service.As(key);
                foreach (var request in RestRoutes.All(jobId))
                    await AuthAssert.Refused(await caller.SendAsync(request), HttpStatusCode.Unauthorized, Secrets);
                using var management = service.Management(key);
                foreach (var path in new[] { "metrics", "dashboard" })
                    await AuthAssert.Refused(await management.GetAsync(path), HttpStatusCode.Unauthorized, Secrets);
            }
            using var anonymous = service.As(null);
            var challenge = await anonymous.GetAsync("jobs");
            Assert.Equal("ApiKey", challenge.Headers.WwwAuthenticate.ToString());
            Assert.Equal("running", (string)(await service.Http.Metadata(jobId))["state"]!); // the refused DELETEs stopped nothing
        }
        finally
        {
            await alice.Delete(jobId);
        }
    }

    [Fact]
    public async Task Probes_and_the_viewers_files_need_no_credentials()
    {
        using var anonymous = service.As(null);
        foreach (var path in new[] { "ack", "health/live", "health/ready", "viewer/", "" })
        {
            var response = await anonymous.GetAsync(path);
            Assert.True(response.IsSuccessStatusCode, path);
            var body = await response.Content.ReadAsStringAsync();
            foreach (var secret in Secrets) Assert.DoesNotContain(secret, body);
        }
        using var management = service.Management(null);
        foreach (var path in new[] { "ack", "health/live" })
            Assert.True((await management.GetAsync(path)).IsSuccessStatusCode, $"management {path}");
    }

    [Fact]
    public async Task An_analyst_configures_reads_lists_and_cancels_their_own_job_and_sees_its_owner()
    {
        using var alice = service.As(ApiKeyService.AliceKey);
        var job = await alice.Configure(FocusApi.LiveBody());
        var jobId = (string)job["job_id"]!;
        Assert.Equal("alice", (string?)job["owner"]);
        Assert.False(string.IsNullOrEmpty((string?)job["stream_token"]));

        var metadata = await alice.Metadata(jobId);
        Assert.Equal("alice", (string?)metadata["owner"]);
        Assert.False(string.IsNullOrEmpty((string?)metadata["stream_token"]));
        var rows = (await (await alice.GetAsync("jobs")).Json())["jobs"]!.AsArray();
        Assert.Contains(rows, r => (string)r!["job_id"]! == jobId && (string?)r["owner"] == "alice");
        Assert.All(rows, r => Assert.Equal("alice", (string?)r!["owner"]));

        var pulled = await alice.GetAsync($"waterfall/{jobId}/5"); // the owner may pull her own job's lines
        Assert.True(pulled.StatusCode is HttpStatusCode.OK or HttpStatusCode.Created, $"pull: {(int)pulled.StatusCode}");

        await alice.Delete(jobId);
        Assert.Equal("cancelled", (string)(await alice.Metadata(jobId))["state"]!);
    }

    [Fact]
    public async Task An_analyst_is_refused_another_analysts_job_and_the_management_routes()
    {
        using var alice = service.As(ApiKeyService.AliceKey);
        using var bob = service.As(ApiKeyService.BobKey);
        var jobId = (string)(await alice.Configure(FocusApi.LiveBody()))["job_id"]!;
        try
        {
            foreach (var request in RestRoutes.OfJob(jobId))
                await AuthAssert.Refused(await bob.SendAsync(request), HttpStatusCode.Forbidden, Secrets);
            Assert.Equal("running", (string)(await alice.Metadata(jobId))["state"]!);
            var bobsRows = (await (await bob.GetAsync("jobs")).Json())["jobs"]!.AsArray();
            Assert.DoesNotContain(bobsRows, r => (string)r!["job_id"]! == jobId);

            using var management = service.Management(ApiKeyService.AliceKey);
            foreach (var path in new[] { "metrics", "dashboard" })
                await AuthAssert.Refused(await management.GetAsync(path), HttpStatusCode.Forbidden, Secrets);
        }
        finally
        {
            await alice.Delete(jobId);
        }
    }

    [Fact]
    public async Task An_operator_is_served_every_route_cancels_anyones_job_and_opens_the_management_routes()
    {
        using var alice = service.As(ApiKeyService.AliceKey);
        using var root = service.As(ApiKeyService.RootKey);
        var jobId = (string)(await alice.Configure(FocusApi.LiveBody()))["job_id"]!;

        var metadata = await root.Metadata(jobId);
        Assert.Equal("alice", (string?)metadata["owner"]);
        Assert.False(string.IsNullOrEmpty((string?)metadata["stream_token"]));
        var rows = (await (await root.GetAsync("jobs")).Json())["jobs"]!.AsArray();
        Assert.Contains(rows, r => (string)r!["job_id"]! == jobId && (string?)r["owner"] == "alice");

        string? rootsJob = null;
        foreach (var request in RestRoutes.All(jobId).Where(r => r.Method != HttpMethod.Delete)) // the DELETE comes last, below
        {
            var what = $"{request.Method} {request.RequestUri}"; // before sending: the client makes the URI absolute
            var response = await root.SendAsync(request);
            Assert.True(response.IsSuccessStatusCode, $"{what}: {(int)response.StatusCode} {await response.Content.ReadAsStringAsync()}");
            if (what == "POST configure") rootsJob = (string)(await response.Json())["job_id"]!;
        }
        await root.Delete(rootsJob!);

        using var management = service.Management(ApiKeyService.RootKey);
        var metrics = await management.GetAsync("metrics");
        Assert.Equal(HttpStatusCode.OK, metrics.StatusCode);
        Assert.Contains("focus_audit_events_total", await metrics.Content.ReadAsStringAsync());
        Assert.True((await management.GetAsync("dashboard")).IsSuccessStatusCode);

        await root.Delete(jobId);
        Assert.Equal("cancelled", (string)(await alice.Metadata(jobId))["state"]!);
    }

    [Fact]
    public async Task The_management_routes_live_only_on_the_management_port_and_the_rest_only_on_the_rest_port()
    {
        using var root = service.As(ApiKeyService.RootKey);
        foreach (var path in new[] { "metrics", "dashboard" })
            Assert.Equal(HttpStatusCode.NotFound, (await root.GetAsync(path)).StatusCode);
        using var management = service.Management(ApiKeyService.RootKey);
        foreach (var path in new[] { "jobs", "channels", "viewer/" })
            Assert.Equal(HttpStatusCode.NotFound, (await management.GetAsync(path)).StatusCode);
    }

    [Fact]
    public async Task No_foreign_origin_is_allowed_by_default()
    {
        using var anonymous = service.As(null);
        using var preflight = new HttpRequestMessage(HttpMethod.Options, "job/1-1");
        preflight.Headers.Add("Origin", "https://evil.example");
        preflight.Headers.Add("Access-Control-Request-Method", "DELETE");
        var response = await anonymous.SendAsync(preflight);
        Assert.False(response.Headers.Contains("Access-Control-Allow-Origin"));
    }

    [Fact]
    public async Task Configure_and_cancel_are_audited_with_identity_and_correlation_id_and_no_secret_is_logged()
    {
        using var alice = service.As(ApiKeyService.AliceKey);
        alice.DefaultRequestHeaders.Add("X-Correlation-ID", "audit-test-1");
        var job = await alice.Configure(FocusApi.LiveBody());
        var jobId = (string)job["job_id"]!;
        await alice.Delete(jobId);
        using var stranger = service.As("wrong-key-for-the-audit");
        await stranger.GetAsync("jobs");

        var audit = service.Logs.Lines.Where(l => l.Category == "Focus.Audit").Select(l => l.Message).ToList();
        Assert.Contains(audit, m => m.Contains($"alice from 127.0.0.1 configured job {jobId} (correlation audit-test-1)"));
        Assert.Contains(audit, m => m.Contains($"alice from 127.0.0.1 cancelled job {jobId} (correlation audit-test-1)"));
        Assert.Contains(audit, m => m.Contains("anonymous from 127.0.0.1 was denied 401 on GET /jobs"));

        var token = (string)job["stream_token"]!;
        foreach (var (category, message) in service.Logs.Lines)
            foreach (var secret in Secrets.Append("wrong-key-for-the-audit").Append(token))
                Assert.False(message.Contains(secret), $"{category} logged a secret: {message}");
    }
}
