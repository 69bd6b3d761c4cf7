using System.Net;
using Focus.IntegrationTests.Infrastructure;

namespace Focus.IntegrationTests.Auth;

/// <summary><c>Focus:Auth:Mode=jwt</c>: who the token names and what it may do (the refusals route by route: <see cref="JwtRouteMatrixTests"/>).</summary>
[Collection(JwtCollection.Name)]
public sealed class JwtAuthTests(JwtService service)
{
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
    public async Task Probes_and_the_viewers_files_need_no_token_and_show_no_key()
    {
        using var anonymous = service.As(null);
        foreach (var path in new[] { "ack", "health/live", "health/ready", "viewer/", "" })
        {
            var response = await anonymous.GetAsync(path);
            Assert.True(response.IsSuccessStatusCode, $"{path}: {(int)response.StatusCode}");
            var body = await response.Content.ReadAsStringAsync();
            foreach (var secret in JwtService.KeyMaterial()) Assert.DoesNotContain(secret, body);
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
