using System.Net;
using Focus.Analyzer.Historic;
using Focus.Analyzer.Sources.Simulated;
using Focus.Grains.Recordings;
using Focus.IntegrationTests.Infrastructure;
using Grpc.Core;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;

namespace Focus.IntegrationTests.Historic;

/// <summary>
/// The service with its catalog in PostgreSQL: rows written like a recorder's, one of them pointing at a file
/// that is not on storage, which must be a hole in the playback and not a crash.
/// </summary>
public sealed class PostgresHistoricTests : IAsyncLifetime
{
    private static readonly DateTimeOffset T0 = new(2025, 4, 1, 8, 0, 0, TimeSpan.Zero);
    private readonly string _storage = Path.Combine(Path.GetTempPath(), $"focus-historic-pg-{Guid.NewGuid():N}");
    private string _connectionString = "";
    private Service? _service;

    private sealed class Service(string storage, string connectionString) : FocusService(new Dictionary<string, string?>
    {
        ["Focus:Storage:MountPath"] = storage,
        ["Focus:Catalog:Kind"] = "postgres",
        ["Focus:Catalog:ConnectionString"] = connectionString,
    })
    {
        protected override int StreamPorts => 10;
    }

    public async Task InitializeAsync()
    {
        _connectionString = await TestPostgres.CreateDatabaseAsync();
        await using var catalog = new PostgresRecordingCatalog(
            Options.Create(new CatalogOptions { Kind = CatalogKind.Postgres, ConnectionString = _connectionString }), NullLogger<PostgresRecordingCatalog>.Instance);
        await catalog.EnsureSchemaAsync(CancellationToken.None);

        // [T0, T0+20s) on storage, [T0+20s, T0+40s) catalogued but missing, [T0+40s, T0+60s) on storage.
        var recorder = new SimulatedRecorder(new SimulatedFiber(HistoricSeeds.Fiber), HistoricSeeds.Channels);
        var written = recorder.Record(_storage, T0, TimeSpan.FromSeconds(60), TimeSpan.FromSeconds(20), []);
        Assert.Equal(3, written.Count);
        File.Delete(written[1].Path);
        foreach (var (path, start, end) in written)
            await catalog.Register(new RecordingInfo
            {
                Id = Path.GetFileNameWithoutExtension(path), Path = Path.GetFileName(path), // relative to the mount path
                Start = start, End = end, Prr = HistoricSeeds.Prr, Channels = HistoricSeeds.Channels, Dx = 1.02,
            });

        _service = new Service(_storage, _connectionString);
        await _service.InitializeAsync();
    }

    public async Task DisposeAsync()
    {
        if (_service is not null) await _service.DisposeAsync();
        await TestPostgres.DropDatabaseAsync(_connectionString);
        Directory.Delete(_storage, recursive: true);
    }

    [Fact]
    public async Task A_catalogued_recording_missing_from_storage_is_a_hole_not_a_crash()
    {
        var http = _service!.Http;
        var body = FocusApi.LiveBody(min: 1, max: 1, view: 1, height: 1000, duration: 10, nfft: 256, fmin: null, fmax: null);
        body["start_time"] = T0.ToUnixTimeSeconds();
        body["end_time"] = T0.AddSeconds(60).ToUnixTimeSeconds();
        var job = await http.Configure(body);

        using var channel = FocusApi.Channel(job);
        using var call = FocusApi.Stream(channel, 0);
        var timestamps = new List<long>();
        while (await call.ResponseStream.MoveNext(new CancellationTokenSource(TimeSpan.FromSeconds(60)).Token))
            timestamps.AddRange(call.ResponseStream.Current.TimestampInMilis);
        Assert.Equal(StatusCode.OK, call.GetStatus().StatusCode);

        var jumps = timestamps.Zip(timestamps.Skip(1), (a, b) => b - a).Where(d => d > 11).ToList();
        var jump = Assert.Single(jumps);
        Assert.InRange(jump, 20_000, 20_000 + 128 + 10);
        Assert.Equal(T0.ToUnixTimeMilliseconds(), timestamps[0]);

        // The listing reports all three catalogued spans.
        using var listed = await http.PostJson("recordings_in_time_range",
            $$"""{"start_time": {{T0.ToUnixTimeSeconds()}}, "end_time": {{T0.AddSeconds(60).ToUnixTimeSeconds()}}}""");
        Assert.Equal(HttpStatusCode.OK, listed.StatusCode);
        Assert.Equal(3, (await listed.Json())["recordings"]!.AsArray().Count);
        await http.Delete((string)job["job_id"]!);
    }
}
