using System.Net;
using System.Text.RegularExpressions;
using Focus.Analyzer.Streaming.Protos;
using Focus.IntegrationTests.Infrastructure;
using Grpc.Core;
using Microsoft.AspNetCore.Routing;

namespace Focus.IntegrationTests.Auth;

/// <summary>
/// <c>Focus:Auth:Mode=jwt</c>, route by route: every REST route, <c>/metrics</c>, the dashboard and the viewer relay
/// against a missing, expired, foreign-audience, foreign-key, unsigned and malformed token, an analyst on another's job, and an
/// operator. Each test configures as identities of its own: the <c>/configure</c> bucket here is three per identity.
/// </summary>
[Collection(JwtCollection.Name)]
public sealed class JwtRouteMatrixTests(JwtService service)
{
    /// <summary>Routes OpenAPI describes that need no credentials (probes), so the matrix need not cover them.</summary>
    private static readonly string[] Public = ["GET /ack", "GET /health/live", "GET /health/ready"];

    [Fact]
    public async Task Every_route_refuses_missing_expired_foreign_audience_foreign_key_and_unsigned_tokens_with_a_problem_and_no_job_data()
    {
        using var hana = service.As(JwtService.Token("hana", ["analyst"]));
        var job = await hana.Configure(FocusApi.LiveBody(min: 12, max: 12, view: 1, nfft: 1024));
        var jobId = (string)job["job_id"]!;
        try
        {
            string?[] refused =
            [
                null,
                JwtService.Token("hana", ["operator"], expiresIn: TimeSpan.FromMinutes(-1)),
                JwtService.Token("hana", ["operator"], audience: "another-service"),
                JwtService.Token("hana", ["operator"], key: JwtService.StrangerKey),
                JwtService.Token("hana", ["operator"], unsigned: true),
                "not.a.token",
            ];
            foreach (var token in refused)
            {
                string[] secrets = [.. JwtService.KeyMaterial(), (string)job["stream_token"]!, .. token is null ? [] : new[] { token }];
                using var caller = service.As(token);
                foreach (var request in RestRoutes.All(jobId).Concat(Management()))
                    await AuthAssert.Refused(await caller.SendAsync(request), HttpStatusCode.Unauthorized, secrets);
                using var relay = RelayChannel.Bearer(service.BaseAddress, jobId, token);
                Assert.Equal(StatusCode.Unauthenticated, await Status(relay));
            }
            using var anonymous = service.As(null);
            Assert.Equal("Bearer", (await anonymous.GetAsync("jobs")).Headers.WwwAuthenticate.ToString());
            Assert.Equal("running", (string)(await hana.Metadata(jobId))["state"]!); // the refused DELETEs stopped nothing
        }
        finally
        {
            await hana.Delete(jobId);
        }
    }

    [Fact]
    public async Task An_analyst_is_refused_every_route_of_another_analysts_job_and_the_job_keeps_running()
    {
        using var ivan = service.As(JwtService.Token("ivan", ["analyst"]));
        var judyToken = JwtService.Token("judy", ["analyst"]);
        using var judy = service.As(judyToken);
        var job = await ivan.Configure(FocusApi.LiveBody(min: 12, max: 12, view: 1, nfft: 1024));
        var jobId = (string)job["job_id"]!;
        try
        {
            string[] secrets = [.. JwtService.KeyMaterial(), (string)job["stream_token"]!];
            foreach (var request in RestRoutes.OfJob(jobId).Concat(Management()))
                await AuthAssert.Refused(await judy.SendAsync(request), HttpStatusCode.Forbidden, secrets);
            using (var relay = RelayChannel.Bearer(service.BaseAddress, jobId, judyToken))
                Assert.Equal(StatusCode.PermissionDenied, await Status(relay));

            Assert.Equal("running", (string)(await ivan.Metadata(jobId))["state"]!);
            var judysRows = (await (await judy.GetAsync("jobs")).Json())["jobs"]!.AsArray();
            Assert.DoesNotContain(judysRows, r => (string)r!["job_id"]! == jobId);
        }
        finally
        {
            await ivan.Delete(jobId);
        }
    }

    [Fact]
    public async Task An_operator_is_served_every_route_the_management_routes_and_another_analysts_job()
    {
        using var kim = service.As(JwtService.Token("kim", ["analyst"]));
        var opsToken = JwtService.Token("ops-matrix", ["operator"]);
        using var ops = service.As(opsToken);
        var jobId = (string)(await kim.Configure(FocusApi.LiveBody(min: 12, max: 12, view: 1, nfft: 1024)))["job_id"]!;
        string? opsJob = null;
        try
        {
            using (var relay = RelayChannel.Bearer(service.BaseAddress, jobId, opsToken))
            using (var call = FocusApi.Stream(relay, 0))
                Assert.Equal(5, (await call.ReadLines(5)).Count); // the relay serves the operator kim's stream

            foreach (var request in RestRoutes.All(jobId).Concat(Management()))
            {
                var what = $"{request.Method} {request.RequestUri}"; // before sending: the client makes the URI absolute
                var response = await ops.SendAsync(request);
                Assert.True(response.IsSuccessStatusCode, $"{what}: {(int)response.StatusCode} {await response.Content.ReadAsStringAsync()}");
                if (what == "POST configure") opsJob = (string)(await response.Json())["job_id"]!;
            }
            Assert.Equal("cancelled", (string)(await kim.Metadata(jobId))["state"]!); // the operator's DELETE of kim's job
        }
        finally
        {
            await kim.DeleteAsync($"job/{jobId}");
            if (opsJob is not null) await ops.Delete(opsJob);
        }
        Assert.NotNull(opsJob); // the operator's /configure made a job (and it was cancelled above)
    }

    [Fact]
    public async Task The_shared_route_list_names_every_route_openapi_describes_and_every_dashboard_route_wants_an_operator()
    {
        var document = await (await service.Http.GetAsync("openapi.json")).Json();
        var listed = RestRoutes.All("1-1").Select(r => $"{r.Method} /{Template(r.RequestUri!.ToString())}").ToHashSet();
        foreach (var (path, item) in document["paths"]!.AsObject())
        foreach (var (method, _) in item!.AsObject())
        {
            var route = $"{method.ToUpperInvariant()} {path}";
            Assert.False(path.StartsWith("/dashboard", StringComparison.Ordinal), $"{route}: the dashboard's API is not the REST contract");
            Assert.True(listed.Contains(route) || Public.Contains(route), $"{route} is in OpenAPI but not in RestRoutes");
        }

        // The dashboard's API shows grain state and logs (every job, every idempotency key): no analyst's. Its routes
        // are taken from the app's own endpoints, since OpenAPI leaves them out.
        using var anonymous = service.As(null);
        using var analyst = service.As(JwtService.Token("mia", ["analyst"]));
        var dashboard = service.Get<EndpointDataSource>().Endpoints.OfType<RouteEndpoint>()
            .Where(e => e.RoutePattern.RawText?.TrimStart('/').StartsWith("dashboard", StringComparison.Ordinal) == true)
            .SelectMany(e => (e.Metadata.GetMetadata<HttpMethodMetadata>()?.HttpMethods ?? ["GET"]).Select(m => (Method: m, Path: e.RoutePattern.RawText!)))
            .ToList();
        Assert.NotEmpty(dashboard);
        foreach (var (method, path) in dashboard)
        {
            var concrete = Regex.Replace(path, @"\{[^}]*\}", "1").TrimStart('/');
            await AuthAssert.Refused(await anonymous.SendAsync(new HttpRequestMessage(new HttpMethod(method), concrete)), HttpStatusCode.Unauthorized);
            await AuthAssert.Refused(await analyst.SendAsync(new HttpRequestMessage(new HttpMethod(method), concrete)), HttpStatusCode.Forbidden);
        }
    }

    /// <summary><c>/metrics</c> and the dashboard: on the REST port here (no management port), operators only.</summary>
    private static IEnumerable<HttpRequestMessage> Management() =>
        [new(HttpMethod.Get, "metrics"), new(HttpMethod.Get, "dashboard/")];

    /// <summary>A listed request's path with its values put back as OpenAPI's parameter names.</summary>
    private static string Template(string path) =>
        Regex.Replace(Regex.Replace(path, @"^(metadata|job|waterfall)/1-1", "$1/{job_id}"), @"^waterfall/\{job_id\}/\d+$", "waterfall/{job_id}/{row_count}");

    /// <summary>How the relay answered a stream call that should not be served.</summary>
    private static async Task<StatusCode> Status(Grpc.Net.Client.GrpcChannel relay)
    {
        using var call = new DataStreamService.DataStreamServiceClient(relay).StreamData(new StreamDataRequest { StreamId = 0 });
        var error = await Assert.ThrowsAsync<RpcException>(() => call.ResponseStream.MoveNext().WaitAsync(FocusApi.Deadline));
        return error.StatusCode;
    }
}
