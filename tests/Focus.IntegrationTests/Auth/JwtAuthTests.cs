using System.Net;
using Focus.IntegrationTests.Infrastructure;

namespace Focus.IntegrationTests.Auth;

/// <summary><c>Focus:Auth:Mode=jwt</c>: bearer tokens checked for signature, audience and lifetime; roles from the token.</summary>
public sealed class JwtAuthTests(JwtService service) : IClassFixture<JwtService>
{
    [Fact]
    public async Task Expired_foreign_audience_and_foreign_key_tokens_are_refused_on_every_job_route()
    {
        using var carol = service.As(JwtService.Token("carol", ["analyst"]));
        var job = await carol.Configure(FocusApi.LiveBody());
        var jobId = (string)job["job_id"]!;
        try
        {
            string[] refused =
            [
                JwtService.Token("carol", ["analyst"], expiresIn: TimeSpan.FromMinutes(-1)),
                JwtService.Token("carol", ["analyst"], audience: "another-service"),
                JwtService.Token("carol", ["analyst"], key: JwtService.StrangerKey),
                "not.a.token",
            ];
            foreach (var token in refused)
            {
                using var caller = service.As(token);
                await AuthAssert.Refused(await caller.GetAsync($"metadata/{jobId}"), HttpStatusCode.Unauthorized, token);
                await AuthAssert.Refused(await caller.DeleteAsync($"job/{jobId}"), HttpStatusCode.Unauthorized, token);
                await AuthAssert.Refused(await caller.GetAsync("jobs"), HttpStatusCode.Unauthorized, token);
                await AuthAssert.Refused(await caller.PostJson("configure", FocusApi.LiveBody().ToJsonString()), HttpStatusCode.Unauthorized, token);
                await AuthAssert.Refused(await caller.GetAsync("metrics"), HttpStatusCode.Unauthorized, token);
            }
            Assert.Equal("running", (string)(await carol.Metadata(jobId))["state"]!);
        }
        finally
        {
            await carol.Delete(jobId);
        }
    }

    [Fact]
    public async Task The_owner_is_the_tokens_subject_and_roles_come_from_its_roles_claim()
    {
        using var carol = service.As(JwtService.Token("carol", ["analyst"]));
        using var dave = service.As(JwtService.Token("dave", ["analyst"]));
        using var ops = service.As(JwtService.Token("ops", ["operator"]));
        using var roleless = service.As(JwtService.Token("eve", []));
        var job = await carol.Configure(FocusApi.LiveBody());
        var jobId = (string)job["job_id"]!;
        Assert.Equal("carol", (string?)job["owner"]);
        try
        {
            await AuthAssert.Refused(await dave.GetAsync($"metadata/{jobId}"), HttpStatusCode.Forbidden);
            await AuthAssert.Refused(await dave.DeleteAsync($"job/{jobId}"), HttpStatusCode.Forbidden);
            await AuthAssert.Refused(await roleless.GetAsync("jobs"), HttpStatusCode.Forbidden);
            await AuthAssert.Refused(await carol.GetAsync("metrics"), HttpStatusCode.Forbidden);
            Assert.Equal(HttpStatusCode.OK, (await ops.GetAsync("metrics")).StatusCode); // no management port here: /metrics on REST
            Assert.Equal("carol", (string?)(await ops.Metadata(jobId))["owner"]);
        }
        finally
        {
            await ops.Delete(jobId);
        }
    }

    [Fact]
    public async Task The_configure_rate_limit_counts_per_identity()
    {
        using var frank = service.As(JwtService.Token("frank", ["analyst"]));
        using var grace = service.As(JwtService.Token("grace", ["analyst"]));
        var invalid = FocusApi.LiveBody(nfft: 1000).ToJsonString(); // refused (422) after the bucket is taken: no job made
        for (var i = 0; i < 3; i++)
            Assert.Equal(HttpStatusCode.UnprocessableEntity, (await frank.PostJson("configure", invalid)).StatusCode);

        var limited = await frank.PostJson("configure", invalid);
        await AuthAssert.Refused(limited, HttpStatusCode.TooManyRequests);
        Assert.NotNull(limited.Headers.RetryAfter);
        Assert.Equal(HttpStatusCode.UnprocessableEntity, (await grace.PostJson("configure", invalid)).StatusCode);
    }
}
