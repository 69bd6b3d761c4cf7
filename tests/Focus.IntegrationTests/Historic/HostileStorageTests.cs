using System.Net;
using System.Text.Json.Nodes;
using Focus.Analyzer.Historic;
using Focus.Analyzer.Sources.Simulated;
using Focus.Grains.Recordings;
using Focus.IntegrationTests.Infrastructure;
using Focus.UnitTests.Historic;

namespace Focus.IntegrationTests.Historic;

/// <summary>
/// Issue 13, hostile data, from outside: a storage folder full of hostile recordings (h5py-written lies, a truncated
/// file, garbage) beside one good recording. The service starts, lists the good recording, plays it, and skips
/// every hostile file with its reason.
/// </summary>
public sealed class HostileStorageTests(HostileStorageTests.Service service) : IClassFixture<HostileStorageTests.Service>
{
    private static readonly DateTimeOffset Good = new(2025, 4, 1, 6, 0, 0, TimeSpan.Zero);

    public sealed class Service : FocusService
    {
        public Service() : this(Path.Combine(Path.GetTempPath(), $"focus-hostile-storage-{Guid.NewGuid():N}")) { }

        private Service(string storage) : base(new Dictionary<string, string?> { ["Focus:Storage:MountPath"] = Prepare(storage) }) => Storage = storage;

        public string Storage { get; }

        protected override int StreamPorts => 5;

        private static string Prepare(string storage)
        {
            HostileRecordings.Write(storage);
            new SimulatedRecorder(new SimulatedFiber(new SimulatorOptions { Channels = 4, Prr = 1000 }), 4)
                .Record(Path.Combine(storage, "good"), Good, TimeSpan.FromSeconds(10), TimeSpan.FromSeconds(10), []);
            return storage;
        }

        public override async Task DisposeAsync()
        {
            await base.DisposeAsync();
            Directory.Delete(Storage, recursive: true);
        }
    }

    [Fact]
    public async Task The_service_starts_lists_and_plays_the_good_recording_and_counts_the_hostile_ones()
    {
        var window = new JsonObject { ["start_time"] = Good.ToUnixTimeSeconds() - 3600, ["end_time"] = Good.ToUnixTimeSeconds() + 3600 };
        using var listed = await service.Http.PostJson("recordings_in_time_range", window.ToJsonString());
        Assert.Equal(HttpStatusCode.OK, listed.StatusCode);
        var spans = (await listed.Json())["recordings"]!.AsArray();
        Assert.Equal([Good.ToUnixTimeSeconds(), Good.ToUnixTimeSeconds() + 10], spans.Single()!.AsArray().Select(v => (long)v!));

        var body = FocusApi.LiveBody(min: 1, max: 1, view: 1, height: 100, duration: 1, nfft: 128, fmin: null, fmax: null);
        body["start_time"] = Good.ToUnixTimeSeconds();
        body["end_time"] = Good.ToUnixTimeSeconds() + 5;
        var job = await service.Http.Configure(body);
        using (var channel = FocusApi.Channel(job))
        using (var call = FocusApi.Stream(channel, 0))
            Assert.NotEmpty(await call.ReadLines(10));
        await service.Http.Delete((string)job["job_id"]!);

        // Every hostile file was skipped with its reason (the counter by reason is checked in HostileRecordingTests;
        // /metrics of one of several services in a test process is not a reliable witness of its own meters).
        var skipped = service.Get<FolderRecordingCatalog>().Skipped;
        Assert.Equal(HostileRecordings.All.Order(), skipped.Keys.Select(Path.GetFileName).Order());
    }
}
