using System.Net;
using System.Text.Json.Nodes;

namespace Focus.IntegrationTests.Auth;

/// <summary>What every refusal must look like: the status, problem+json with <c>detail</c> = <c>error</c>, and no job data.</summary>
public static class AuthAssert
{
    /// <summary>Text that only a job's own data carries (its id, its stream, its owner).</summary>
    private static readonly string[] JobFields = ["stream_port", "stream_url", "stream_token", "owner", "channel_to_stream_index", "\"jobs\""];

    public static async Task Refused(HttpResponseMessage response, HttpStatusCode status, params string[] secrets)
    {
        var body = await response.Content.ReadAsStringAsync();
        var what = $"{response.RequestMessage?.Method} {response.RequestMessage?.RequestUri?.PathAndQuery}";
        Assert.True(status == response.StatusCode, $"{what}: {(int)response.StatusCode} {body}");
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        var problem = JsonNode.Parse(body)!.AsObject();
        Assert.Equal((int)status, (int)problem["status"]!);
        Assert.False(string.IsNullOrEmpty((string?)problem["detail"]), what);
        Assert.Equal((string?)problem["detail"], (string?)problem["error"]);
        foreach (var field in JobFields) Assert.DoesNotContain(field, body);
        foreach (var secret in secrets) Assert.DoesNotContain(secret, body);
    }
}
