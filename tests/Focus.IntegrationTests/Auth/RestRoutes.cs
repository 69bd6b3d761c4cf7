using Focus.IntegrationTests.Infrastructure;

namespace Focus.IntegrationTests.Auth;

/// <summary>
/// Every REST route that needs credentials when auth is on, as fresh requests (a request is sent once), shared by
/// the API-key and JWT tests so both modes are checked on the same list. <c>/metrics</c> and the dashboard are not
/// here: where they are served depends on the management port.
/// </summary>
public static class RestRoutes
{
    /// <summary>Every route, those of <paramref name="jobId"/> among them.</summary>
    public static IEnumerable<HttpRequestMessage> All(string jobId) =>
    [
        Post("configure", FocusApi.LiveBody().ToJsonString()),
        .. OfJob(jobId),
        new(HttpMethod.Get, "jobs"),
        new(HttpMethod.Get, "live_metadata"),
        new(HttpMethod.Get, "channels"),
        new(HttpMethod.Get, "sensors"),
        Post("recordings_in_time_range", """{"start_time": 1740787200, "end_time": 1740787500}"""),
        new(HttpMethod.Get, "get_recordings_timeline"),
        new(HttpMethod.Get, "openapi.json"),
    ];

    /// <summary>The routes that name a job (ownership decides them), DELETE last so the reads see the job running.</summary>
    public static IEnumerable<HttpRequestMessage> OfJob(string jobId) =>
    [
        new(HttpMethod.Get, $"metadata/{jobId}"),
        new(HttpMethod.Get, $"waterfall/{jobId}/5"),
        new(HttpMethod.Delete, $"job/{jobId}"),
    ];

    private static HttpRequestMessage Post(string path, string json) =>
        new(HttpMethod.Post, path) { Content = new StringContent(json, System.Text.Encoding.UTF8, "application/json") };
}
