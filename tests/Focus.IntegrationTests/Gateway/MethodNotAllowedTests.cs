using System.Net;
using Focus.IntegrationTests.Infrastructure;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;

namespace Focus.IntegrationTests.Gateway;

/// <summary>A route called with another method answers 405, a problem with <c>detail</c> and <c>error</c> (CONTRACT §1).</summary>
[Collection(ServiceCollection.Name)]
public sealed class MethodNotAllowedTests(FocusService service)
{
    /// <summary>The calls issue 20 found without a <c>detail</c>.</summary>
    public static readonly TheoryData<string, string> Reported = new()
    {
        { "GET", "configure" }, { "POST", "channels" }, { "DELETE", "live_metadata" }, { "POST", "ack" },
        { "GET", "recordings_in_time_range" }, { "POST", "sensors" }, { "DELETE", "jobs" },
        { "PUT", "ack" }, { "PATCH", "configure" }, { "POST", "get_recordings_timeline" }, { "DELETE", "openapi.json" },
    };

    [Theory]
    [MemberData(nameof(Reported))]
    public async Task A_reported_405_carries_detail_and_the_same_text_in_error(string method, string path)
    {
        using var response = await service.Http.SendAsync(new HttpRequestMessage(new HttpMethod(method), path));
        Assert.Null(await MethodNotAllowed.Problem(response, method));
    }

    [Fact]
    public async Task Every_405_of_every_route_carries_detail_and_the_same_text_in_error()
    {
        var calls = MethodNotAllowed.WrongCalls(service, "some-job").ToList();
        Assert.NotEmpty(calls);
        var failures = new List<string>();
        var seen = 0;
        foreach (var (method, path) in calls)
        {
            using var response = await service.Http.SendAsync(new HttpRequestMessage(method, path));
            if (response.StatusCode != HttpStatusCode.MethodNotAllowed) continue;
            seen++;
            if (await MethodNotAllowed.Problem(response, method.Method) is { } wrong) failures.Add($"{method} /{path}: {wrong}");
        }
        Assert.True(seen > 0, "no call answered 405");
        Assert.True(failures.Count == 0, string.Join("\n", failures));
    }
}

/// <summary>A wrong method on a route with a job id, or on an operator's route, is a 405 too, whatever the id.</summary>
[Collection(ServiceCollection.Name)]
public sealed class MethodNotAllowedByIdTests(FocusService service)
{
    public static readonly TheoryData<string> Ids = new()
    {
        "some-job", "0", "00000000000000000000000000000000", new string('j', 200), "%E2%98%83", "a.b", "%20", "-",
    };

    [Theory]
    [InlineData("POST", "metadata/some-job")]
    [InlineData("PUT", "metadata/some-job")]
    [InlineData("DELETE", "metadata/some-job")]
    [InlineData("GET", "job/some-job")]
    [InlineData("POST", "job/some-job")]
    [InlineData("PATCH", "job/some-job")]
    [InlineData("POST", "metrics")]
    [InlineData("POST", "health/live")]
    [InlineData("DELETE", "health/ready")]
    [InlineData("PUT", "viewer/index.html")]
    public async Task A_reported_wrong_method_is_405(string method, string path)
    {
        using var response = await service.Http.SendAsync(new HttpRequestMessage(new HttpMethod(method), path));
        Assert.Null(await MethodNotAllowed.Problem(response, method));
    }

    [Theory]
    [MemberData(nameof(Ids))]
    public async Task Every_route_called_with_another_method_is_405_whatever_the_id(string id) =>
        await MethodNotAllowed.AssertAll(service, id);

    [Fact]
    public async Task A_running_job_is_no_exception()
    {
        var job = await service.Http.Configure(FocusApi.LiveBody(min: 5, max: 6));
        var id = (string)job["job_id"]!;
        try
        {
            await MethodNotAllowed.AssertAll(service, id);
        }
        finally
        {
            await service.Http.Delete(id);
        }
    }
}

/// <summary>The same under <c>Focus:Gateway:PathBase</c>.</summary>
public sealed class MethodNotAllowedUnderPathBaseTests(Viewer.PathBaseViewerService service) : IClassFixture<Viewer.PathBaseViewerService>
{
    [Fact]
    public async Task Every_route_called_with_another_method_is_405_under_the_path_base()
    {
        Assert.EndsWith("/focus-server/", service.BaseAddress.ToString());
        await MethodNotAllowed.AssertAll(service, "some-job");
        using var response = await service.Http.PostAsync("metadata/some-job", null);
        Assert.Contains("/focus-server/metadata/some-job", (string)(await response.Json())["detail"]!);
    }
}

/// <summary>Wrong calls derived from the service's own routing table, and the checks of their answers.</summary>
internal static class MethodNotAllowed
{
    private static readonly string[] Methods = ["GET", "POST", "PUT", "DELETE", "PATCH"];

    /// <summary>
    /// Every route the service maps with a method constraint, called with each other method; route parameters
    /// become <paramref name="id"/>. Routes sharing a path are taken together (what one allows, the path allows).
    /// </summary>
    public static IEnumerable<(HttpMethod Method, string Path)> WrongCalls(FocusService service, string id)
    {
        var allowed = new Dictionary<string, HashSet<string>>();
        foreach (var endpoint in service.Get<EndpointDataSource>().Endpoints.OfType<RouteEndpoint>())
        {
            if (endpoint.Metadata.GetMetadata<IHttpMethodMetadata>() is not { HttpMethods.Count: > 0 } methods) continue;
            var path = Concrete(endpoint.RoutePattern.RawText ?? "", id);
            if (!allowed.TryGetValue(path, out var set)) allowed[path] = set = [];
            set.UnionWith(methods.HttpMethods);
        }
        foreach (var (path, set) in allowed.OrderBy(p => p.Key, StringComparer.Ordinal))
        foreach (var method in Methods.Where(m => !set.Contains(m)))
            yield return (new HttpMethod(method), path);
    }

    public static async Task AssertAll(FocusService service, string id)
    {
        var calls = WrongCalls(service, id).ToList();
        Assert.Contains(calls, c => c.Method == HttpMethod.Post && c.Path == $"metadata/{id}");
        Assert.Contains(calls, c => c.Method == HttpMethod.Get && c.Path == $"job/{id}");
        var failures = new List<string>();
        foreach (var (method, path) in calls)
        {
            using var response = await service.Http.SendAsync(new HttpRequestMessage(method, path));
            if (await Problem(response, method.Method) is { } wrong) failures.Add($"{method} /{path}: {wrong}");
        }
        Assert.True(failures.Count == 0, $"{failures.Count} of {calls.Count} wrong calls were no 405 problem:\n{string.Join("\n", failures)}");
    }

    /// <summary>Null when the answer is a 405 problem whose <c>detail</c> names the method and equals <c>error</c>.</summary>
    public static async Task<string?> Problem(HttpResponseMessage response, string method)
    {
        var text = await response.Content.ReadAsStringAsync();
        if (response.StatusCode != HttpStatusCode.MethodNotAllowed) return $"{(int)response.StatusCode} {text}";
        if (response.Content.Headers.ContentType?.MediaType != "application/problem+json") return $"content type {response.Content.Headers.ContentType}: {text}";
        if (!response.Content.Headers.Allow.Any()) return "no Allow header";
        var problem = System.Text.Json.Nodes.JsonNode.Parse(text)!.AsObject();
        var detail = (string?)problem["detail"];
        if (string.IsNullOrWhiteSpace(detail)) return $"no detail: {text}";
        if (detail != (string?)problem["error"]) return $"error is not detail: {text}";
        if (!detail.Contains(method, StringComparison.Ordinal)) return $"detail does not name {method}: {text}";
        if ((int?)problem["status"] != 405) return $"status member: {text}";
        return null;
    }

    private static string Concrete(string pattern, string id)
    {
        var segments = pattern.Trim('/').Split('/');
        for (var i = 0; i < segments.Length; i++)
            if (segments[i].StartsWith('{')) segments[i] = id;
        return string.Join('/', segments);
    }
}
