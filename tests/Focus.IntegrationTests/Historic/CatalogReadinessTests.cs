using System.Net;
using System.Text.Json.Nodes;
using Focus.IntegrationTests.Infrastructure;

namespace Focus.IntegrationTests.Historic;

/// <summary>
/// <c>/health/ready</c> follows the recording catalog (CONTRACT §1: ready only when the catalog is reachable) and
/// names it when it is not; liveness does not depend on it.
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

    [Fact]
    public async Task An_unreachable_postgres_catalog_is_not_ready_and_historic_configure_is_503()
    {
        var storage = Path.Combine(Path.GetTempPath(), $"focus-ready-{Guid.NewGuid():N}");
        Directory.CreateDirectory(storage);
        // A loopback port nobody listens on: connection refused, as when the database is down.
        var dead = $"Host=127.0.0.1;Port={FreePorts.Any()};Username=focus;Password=focus;Database=focus;Timeout=2";
        var service = new Service(new()
        {
            ["Focus:Storage:MountPath"] = storage,
            ["Focus:Catalog:Kind"] = "postgres",
            ["Focus:Catalog:ConnectionString"] = dead,
        });
        await service.InitializeAsync();
        try
        {
            var (status, report) = await Ready(service.Http);
            Assert.Equal(HttpStatusCode.ServiceUnavailable, status);
            Assert.Equal("Unhealthy", (string?)report["checks"]!["catalog"]!["status"]);
            Assert.Contains("postgres", (string?)report["checks"]!["catalog"]!["description"]);
            Assert.Equal(HttpStatusCode.OK, (await service.Http.GetAsync("health/live")).StatusCode);

            var body = FocusApi.LiveBody(min: 1, max: 1, view: 1, nfft: 256, fmin: null, fmax: null);
            body["start_time"] = DateTimeOffset.UtcNow.AddHours(-2).ToUnixTimeSeconds();
            body["end_time"] = DateTimeOffset.UtcNow.AddHours(-1).ToUnixTimeSeconds();
            using var refused = await service.Http.PostJson("configure", body.ToJsonString());
            Assert.Equal(HttpStatusCode.ServiceUnavailable, refused.StatusCode);
            Assert.NotNull(refused.Headers.RetryAfter);
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
