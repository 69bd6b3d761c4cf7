using System.Net;
using System.Text.Json.Nodes;
using Focus.IntegrationTests.Infrastructure;

namespace Focus.IntegrationTests.Historic;

/// <summary>
/// <c>/health/ready</c> follows the recording catalog (CONTRACT §1: ready only when the catalog is reachable) and
/// names it when it is not; liveness does not depend on it. A catalog that cannot answer is a prompt 503 with
/// Retry-After (issue 18).
/// </summary>
public sealed class CatalogReadinessTests
{
    private sealed class Service(Dictionary<string, string?> settings) : FocusService(settings)
    {
        protected override int StreamPorts => 4;
    }

    [Fact]
    public async Task A_storage_folder_that_goes_away_makes_the_service_not_ready_until_it_is_back()
    {
        var storage = Path.Combine(Path.GetTempPath(), $"focus-ready-{Guid.NewGuid():N}");
        Directory.CreateDirectory(storage);
        var service = new Service(new() { ["Focus:Storage:MountPath"] = storage });
        await service.InitializeAsync();
        try
        {
            var (status, report) = await Ready(service.Http);
            Assert.Equal(HttpStatusCode.OK, status);
            Assert.Equal("Healthy", (string?)report["checks"]!["catalog"]!["status"]);
            Assert.Equal("Healthy", (string?)report["checks"]!["cluster"]!["status"]);

            Directory.Delete(storage, recursive: true);
            (status, report) = await Ready(service.Http);
            Assert.Equal(HttpStatusCode.ServiceUnavailable, status);
            Assert.Equal("Unhealthy", (string?)report["checks"]!["catalog"]!["status"]);
            Assert.Contains("Focus:Storage:MountPath", (string?)report["checks"]!["catalog"]!["description"]);
            Assert.Equal("Healthy", (string?)report["checks"]!["cluster"]!["status"]);
            Assert.Equal(HttpStatusCode.OK, (await service.Http.GetAsync("health/live")).StatusCode);

            Directory.CreateDirectory(storage);
            (status, _) = await Ready(service.Http);
            Assert.Equal(HttpStatusCode.OK, status);
        }
        finally
        {
            await service.DisposeAsync();
            if (Directory.Exists(storage)) Directory.Delete(storage, recursive: true);
        }
    }

    /// <summary>
    /// A database catalog whose server is down (a loopback port nobody listens on: connection refused). No MongoDB
    /// server can run on these machines; this is the mongo back end's test against a live service (its bounds against
    /// a server that never answers are in CatalogTimeBoundTests; postgres stopped and started: PostgresCatalogOutageTests).
    /// </summary>
    [Theory]
    [InlineData("postgres")]
    [InlineData("mongo")]
    public async Task An_unreachable_database_catalog_is_not_ready_and_answers_503_with_Retry_After_within_5_s(string kind)
    {
        var storage = Path.Combine(Path.GetTempPath(), $"focus-ready-{Guid.NewGuid():N}");
        Directory.CreateDirectory(storage);
        var port = FreePorts.Any();
        var dead = kind == "mongo"
            ? $"mongodb://127.0.0.1:{port}/?directConnection=true"
            : $"Host=127.0.0.1;Port={port};Username=focus;Password=focus;Database=focus";
        var service = new Service(new()
        {
            ["Focus:Storage:MountPath"] = storage,
            ["Focus:Catalog:Kind"] = kind,
            ["Focus:Catalog:ConnectionString"] = dead,
        });
        await service.InitializeAsync();
        try
        {
            var (status, report) = await Ready(service.Http);
            Assert.Equal(HttpStatusCode.ServiceUnavailable, status);
            Assert.Equal("Unhealthy", (string?)report["checks"]!["catalog"]!["status"]);
            Assert.Contains($"recording catalog ({kind})", (string?)report["checks"]!["catalog"]!["description"]);
            Assert.Equal(HttpStatusCode.OK, (await service.Http.GetAsync("health/live")).StatusCode);

            var body = FocusApi.LiveBody(min: 1, max: 1, view: 1, nfft: 256, fmin: null, fmax: null);
            body["start_time"] = DateTimeOffset.UtcNow.AddHours(-2).ToUnixTimeSeconds();
            body["end_time"] = DateTimeOffset.UtcNow.AddHours(-1).ToUnixTimeSeconds();
            var window = $$"""{"start_time": {{body["start_time"]}}, "end_time": {{body["end_time"]}}}""";
            for (var attempt = 0; attempt < 3; attempt++)
            {
                var watch = System.Diagnostics.Stopwatch.StartNew();
                using var refused = await service.Http.PostJson("configure", body.ToJsonString());
                Assert.Equal(HttpStatusCode.ServiceUnavailable, refused.StatusCode);
                Assert.NotNull(refused.Headers.RetryAfter);
                Assert.InRange(watch.Elapsed, TimeSpan.Zero, TimeSpan.FromSeconds(5));
                Assert.Contains($"recording catalog ({kind})", (string?)(await refused.Json())["detail"]);

                watch.Restart();
                using var listed = await service.Http.PostJson("recordings_in_time_range", window);
                Assert.Equal(HttpStatusCode.ServiceUnavailable, listed.StatusCode);
                Assert.NotNull(listed.Headers.RetryAfter);
                Assert.InRange(watch.Elapsed, TimeSpan.Zero, TimeSpan.FromSeconds(5));
            }
            Assert.Empty((await (await service.Http.GetAsync("jobs")).Json())["jobs"]!.AsArray());
        }
        finally
        {
            await service.DisposeAsync();
            Directory.Delete(storage, recursive: true);
        }
    }

    private static async Task<(HttpStatusCode Status, JsonNode Report)> Ready(HttpClient http)
    {
        using var response = await http.GetAsync("health/ready");
        Assert.Equal("application/json", response.Content.Headers.ContentType?.MediaType);
        return (response.StatusCode, JsonNode.Parse(await response.Content.ReadAsStringAsync())!);
    }
}
