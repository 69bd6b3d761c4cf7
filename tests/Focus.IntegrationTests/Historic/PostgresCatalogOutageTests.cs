using System.Diagnostics;
using System.Net;
using System.Text.Json.Nodes;
using Focus.Analyzer.Historic;
using Focus.Analyzer.Sources.Simulated;
using Focus.Grains.Recordings;
using Focus.IntegrationTests.Infrastructure;
using Grpc.Core;
using Xunit.Abstractions;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;

namespace Focus.IntegrationTests.Historic;

/// <summary>
/// Issue 18 item 5, the catalog survives its database: the service with its catalog in a real PostgreSQL (a private
/// server: stopping the shared one would fail the other tests) whose server is stopped under a running historic job
/// and started again. While it is down, a historic /configure and /recordings_in_time_range answer 503 with
/// Retry-After within 5 s, /health/ready is not ready and names the catalog, and the running job plays on from
/// storage to its end; once it is back, all of them work again without restarting the service.
/// </summary>
public sealed class PostgresCatalogOutageTests(ITestOutputHelper output) : IAsyncLifetime
{
    private static readonly DateTimeOffset T0 = new(2025, 5, 1, 9, 0, 0, TimeSpan.Zero);
    private static readonly TimeSpan AnswerWithin = TimeSpan.FromSeconds(5);
    private readonly string _storage = Path.Combine(Path.GetTempPath(), $"focus-pg-outage-{Guid.NewGuid():N}");
    private PrivatePostgres? _database;
    private Service? _service;

    private sealed class Service(string storage, string connectionString) : FocusService(new Dictionary<string, string?>
    {
        ["Focus:Storage:MountPath"] = storage,
        ["Focus:Catalog:Kind"] = "postgres",
        ["Focus:Catalog:ConnectionString"] = connectionString,
    })
    {
        protected override int StreamPorts => 6;
    }

    public async Task InitializeAsync()
    {
        _database = await PrivatePostgres.StartAsync();
        await using (var catalog = new PostgresRecordingCatalog(
            Options.Create(new CatalogOptions { Kind = CatalogKind.Postgres, ConnectionString = _database.ConnectionString }), NullLogger<PostgresRecordingCatalog>.Instance))
        {
            // 60 s of recording in three files.
            var recorder = new SimulatedRecorder(new SimulatedFiber(HistoricSeeds.Fiber), HistoricSeeds.Channels);
            foreach (var (path, start, end) in recorder.Record(_storage, T0, TimeSpan.FromSeconds(60), TimeSpan.FromSeconds(20), []))
                await catalog.Register(new RecordingInfo
                {
                    Id = Path.GetFileNameWithoutExtension(path), Path = Path.GetFileName(path),
                    Start = start, End = end, Prr = HistoricSeeds.Prr, Channels = HistoricSeeds.Channels, Dx = 1.02,
                });
        }
        _service = new Service(_storage, _database.ConnectionString);
        await _service.InitializeAsync();
    }

    public async Task DisposeAsync()
    {
        if (_service is not null) await _service.DisposeAsync();
        if (_database is not null) await _database.DisposeAsync();
        if (Directory.Exists(_storage)) Directory.Delete(_storage, recursive: true);
    }

    [Fact]
    public async Task With_the_database_stopped_the_catalog_is_a_prompt_503_running_jobs_play_on_and_it_recovers_when_the_database_is_back()
    {
        var http = _service!.Http;
        Assert.Equal(HttpStatusCode.OK, (await Ready(http)).Status);
        using (var listed = await http.PostJson("recordings_in_time_range", Window(T0, T0.AddSeconds(60))))
            Assert.Equal(HttpStatusCode.OK, listed.StatusCode);

        // A job playing 50 s (500 lines, every frame within the recordings), read slowly: it is running when the
        // database stops.
        var job = await http.Configure(HistoricBody(T0, T0.AddSeconds(50)));
        using var channel = FocusApi.Channel(job);
        using var call = FocusApi.Stream(channel, 0);
        var lines = await call.ReadLines(50);

        await _database!.StopAsync("fast");

        // Several times: the first calls meet a refused connection, the later ones an open circuit (Focus:Catalog:Break*).
        var details = new List<string>();
        for (var attempt = 0; attempt < 5; attempt++)
        {
            using (var listed = await Timed(() => http.PostJson("recordings_in_time_range", Window(T0, T0.AddSeconds(60)))))
                details.Add(await AssertUnavailable(listed));
            using (var configured = await Timed(() => http.PostJson("configure", HistoricBody(T0, T0.AddSeconds(30)).ToJsonString())))
                details.Add(await AssertUnavailable(configured));
        }
        Assert.Contains("unreachable", details[0]);
        Assert.Contains("asked again in", details[^1]);
        var readyWatch = Stopwatch.StartNew();
        var (status, report) = await Ready(http);
        output.WriteLine($"/health/ready {(int)status} in {readyWatch.Elapsed.TotalMilliseconds:F0} ms: {report["checks"]!["catalog"]!["description"]}");
        Assert.Equal(HttpStatusCode.ServiceUnavailable, status);
        Assert.Equal("Unhealthy", (string?)report["checks"]!["catalog"]!["status"]);
        Assert.Contains("recording catalog (postgres)", (string?)report["checks"]!["catalog"]!["description"]);
        Assert.Equal(HttpStatusCode.OK, (await http.GetAsync("health/live")).StatusCode);

        // The running job plays on from storage, to its end.
        lines.AddRange(await call.ReadToEnd());
        Assert.Equal(500, lines.Count);
        Assert.Equal(Enumerable.Range(0, 500), lines.Select(l => l.RowIndex));
        Assert.Equal(StatusCode.OK, call.GetStatus().StatusCode);
        await http.Delete((string)job["job_id"]!);

        // The database is back: so is the catalog, once its circuit lets a call through (Focus:Catalog:BreakDuration).
        await _database.RestartAsync();
        var deadline = Stopwatch.StartNew();
        HttpStatusCode answer;
        do
        {
            await Task.Delay(500);
            using var listed = await http.PostJson("recordings_in_time_range", Window(T0, T0.AddSeconds(60)));
            answer = listed.StatusCode;
        }
        while (answer != HttpStatusCode.OK && deadline.Elapsed < TimeSpan.FromSeconds(30));
        output.WriteLine($"the catalog answered again {deadline.Elapsed.TotalSeconds:F1} s after the database was started");
        Assert.Equal(HttpStatusCode.OK, answer);
        Assert.Equal(HttpStatusCode.OK, (await Ready(http)).Status);
        var again = await http.Configure(HistoricBody(T0, T0.AddSeconds(10)));
        using (var channel2 = FocusApi.Channel(again))
        using (var call2 = FocusApi.Stream(channel2, 0))
            Assert.Equal(100, (await call2.ReadToEnd()).Count);
        await http.Delete((string)again["job_id"]!);
    }

    private static JsonObject HistoricBody(DateTimeOffset start, DateTimeOffset end)
    {
        // One channel, a line every 0.1 s of recording (height 100 over 10 s).
        var body = FocusApi.LiveBody(min: 1, max: 1, view: 1, height: 100, duration: 10, nfft: 256, fmin: null, fmax: null);
        body["start_time"] = start.ToUnixTimeSeconds();
        body["end_time"] = end.ToUnixTimeSeconds();
        return body;
    }

    private static string Window(DateTimeOffset start, DateTimeOffset end) =>
        new JsonObject { ["start_time"] = start.ToUnixTimeSeconds(), ["end_time"] = end.ToUnixTimeSeconds() }.ToJsonString();

    private async Task<HttpResponseMessage> Timed(Func<Task<HttpResponseMessage>> request)
    {
        var watch = Stopwatch.StartNew();
        var response = await request();
        output.WriteLine($"{response.RequestMessage?.RequestUri?.AbsolutePath} {(int)response.StatusCode} in {watch.Elapsed.TotalMilliseconds:F0} ms, Retry-After {response.Headers.RetryAfter?.Delta?.TotalSeconds} s");
        Assert.True(watch.Elapsed < AnswerWithin, $"{response.RequestMessage?.RequestUri} answered after {watch.Elapsed.TotalSeconds:F1} s");
        return response;
    }

    /// <summary>Checks a 503 with Retry-After that names the catalog; returns its detail.</summary>
    private async Task<string> AssertUnavailable(HttpResponseMessage response)
    {
        var text = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == HttpStatusCode.ServiceUnavailable, $"{response.RequestMessage?.RequestUri} answered {(int)response.StatusCode}: {text}");
        Assert.True(response.Headers.RetryAfter?.Delta is { } wait && wait >= TimeSpan.FromSeconds(1), "Retry-After missing or under a second");
        var detail = (string?)JsonNode.Parse(text)!["detail"] ?? "";
        output.WriteLine($"  {detail}");
        Assert.Contains("recording catalog (postgres)", detail);
        return detail;
    }

    private static async Task<(HttpStatusCode Status, JsonNode Report)> Ready(HttpClient http)
    {
        using var response = await http.GetAsync("health/ready");
        return (response.StatusCode, JsonNode.Parse(await response.Content.ReadAsStringAsync())!);
    }
}
