using System.Net;
using Focus.IntegrationTests.Infrastructure;

namespace Focus.IntegrationTests.Auth;

/// <summary>
/// <c>Focus:Auth:Mode=jwt</c>: no bearer token, stream token, stream-token secret or signing key reaches the logs,
/// even with the authentication handlers logging at Debug and tokens refused for every reason they can be.
/// </summary>
[Collection(JwtCollection.Name)]
public sealed class JwtLogSecretsTests(JwtService service)
{
    [Fact]
    public async Task No_token_or_key_is_written_to_the_logs()
    {
        var leoToken = JwtService.Token("leo", ["analyst"]);
        using var leo = service.As(leoToken);
        var job = await leo.Configure(FocusApi.LiveBody());
        var jobId = (string)job["job_id"]!;
        string[] refused =
        [
            JwtService.Token("leo", ["analyst"], expiresIn: TimeSpan.FromMinutes(-1)),
            JwtService.Token("leo", ["analyst"], audience: "another-service"),
            JwtService.Token("leo", ["analyst"], key: JwtService.StrangerKey),
        ];
        foreach (var token in refused)
        {
            using var caller = service.As(token);
            Assert.Equal(HttpStatusCode.Unauthorized, (await caller.GetAsync($"metadata/{jobId}")).StatusCode);
        }
        await leo.Delete(jobId);

        // The refusals were logged (so the search below reads what the handlers wrote about these tokens).
        Assert.Contains(service.Logs.Lines, l => l.Category.StartsWith("Microsoft.AspNetCore.Authentication", StringComparison.Ordinal));
        string[] secrets = [.. JwtService.KeyMaterial(), leoToken, (string)job["stream_token"]!, .. refused];
        foreach (var (category, message) in service.Logs.Lines)
        foreach (var secret in secrets)
            Assert.False(message.Contains(secret), $"{category} logged a secret: {message}");
        // A token's signature is its secret part: not even that alone.
        foreach (var token in refused.Append(leoToken))
            Assert.DoesNotContain(service.Logs.Lines, l => l.Message.Contains(token.Split('.')[2]));
    }
}
