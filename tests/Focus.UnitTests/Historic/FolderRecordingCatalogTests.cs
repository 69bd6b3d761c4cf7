using System.Diagnostics;
using Focus.Analyzer.Historic;
using Focus.Analyzer.Sources.Simulated;
using Focus.Grains.Recordings;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;

namespace Focus.UnitTests.Historic;

public sealed class FolderRecordingCatalogTests : IDisposable
{
    private static readonly DateTimeOffset T0 = new(2025, 6, 1, 12, 0, 0, TimeSpan.Zero);
    private readonly string _root = Path.Combine(Path.GetTempPath(), $"focus-folder-catalog-{Guid.NewGuid():N}");
    private readonly SimulatedRecorder _recorder = new(new SimulatedFiber(new SimulatorOptions { Channels = 4, Prr = 500 }), 4);

    private readonly TestMeterFactory _meters = new();

    public void Dispose()
    {
        _meters.Dispose();
        if (Directory.Exists(_root)) Directory.Delete(_root, recursive: true);
    }

    private FolderRecordingCatalog Catalog() => new(
        Options.Create(new StorageOptions { MountPath = _root }),
        Options.Create(new CatalogOptions { RescanInterval = TimeSpan.FromSeconds(2) }),
        new RecordingInstruments(_meters),
        NullLogger<FolderRecordingCatalog>.Instance);

    [Fact]
    public async Task Indexes_the_folder_at_start_and_answers_overlaps_in_start_order()
    {
        _recorder.Record(Path.Combine(_root, "a"), T0, TimeSpan.FromSeconds(30), TimeSpan.FromSeconds(10), [new RecordingGap(TimeSpan.FromSeconds(10), TimeSpan.FromSeconds(10))]);
        using var catalog = Catalog();
        await catalog.StartAsync(CancellationToken.None);
        try
        {
            var all = await catalog.FindOverlapping(T0, T0.AddMinutes(1), CancellationToken.None);
            Assert.Equal([T0, T0.AddSeconds(20)], all.Select(r => r.Start));
            Assert.Equal([T0.AddSeconds(10), T0.AddSeconds(30)], all.Select(r => r.End!.Value));
            Assert.All(all, r => Assert.Equal((500.0, 4), (r.Prr, r.Channels)));

            // [s, e) overlaps [start, end] when s < end and e > start
            Assert.Empty(await catalog.FindOverlapping(T0.AddSeconds(10), T0.AddSeconds(20), CancellationToken.None));
            Assert.Single(await catalog.FindOverlapping(T0.AddSeconds(9.99), T0.AddSeconds(20), CancellationToken.None));
            Assert.Empty(await catalog.FindOverlapping(T0.AddSeconds(-10), T0, CancellationToken.None));
            Assert.Equal([[T0.ToUnixTimeSeconds(), T0.ToUnixTimeSeconds() + 10]], [all[0].ToEpochSpan()]);
        }
        finally
        {
            await catalog.StopAsync(CancellationToken.None);
        }
    }

    [Fact]
    public async Task Files_that_are_no_playable_recording_are_skipped()
    {
        Directory.CreateDirectory(_root);
        // The real vendor samples, linked (never copied): no raw data, and Terra15/Silixa (played, but not in this window).
        foreach (var name in new[] { "prodml_fbe_1.h5", "terra15_v5_test_file.hdf5", "silixa_h5_1.hdf5", "prodml_2.0.h5" })
            File.CreateSymbolicLink(Path.Combine(_root, name), SharedData.Das(name));
        File.WriteAllText(Path.Combine(_root, "broken.h5"), "not hdf5");
        using var catalog = Catalog();
        await catalog.StartAsync(CancellationToken.None);
        try
        {
            var found = await catalog.FindOverlapping(DateTimeOffset.UnixEpoch, DateTimeOffset.UnixEpoch.AddHours(1), CancellationToken.None);
            var only = Assert.Single(found);
            Assert.Equal("prodml_2.0.h5", only.Id);
            Assert.Equal((200.0, 512), (only.Prr, only.Channels));
        }
        finally
        {
            await catalog.StopAsync(CancellationToken.None);
        }
    }

    [Fact]
    public async Task A_new_file_is_listed_within_five_seconds()
    {
        Directory.CreateDirectory(_root);
        using var catalog = Catalog();
        await catalog.StartAsync(CancellationToken.None);
        try
        {
            Assert.Empty(await catalog.FindOverlapping(T0, T0.AddMinutes(1), CancellationToken.None));
            _recorder.Record(_root, T0, TimeSpan.FromSeconds(5), TimeSpan.FromSeconds(5), []);
            var watch = Stopwatch.StartNew();
            while ((await catalog.FindOverlapping(T0, T0.AddMinutes(1), CancellationToken.None)).Count == 0)
            {
                Assert.True(watch.Elapsed < TimeSpan.FromSeconds(5), "the new recording was not listed within 5 s");
                await Task.Delay(50);
            }
        }
        finally
        {
            await catalog.StopAsync(CancellationToken.None);
        }
    }

    [Fact]
    public async Task A_missing_storage_folder_is_an_unavailable_catalog()
    {
        using var catalog = Catalog(); // _root was never created
        await catalog.StartAsync(CancellationToken.None);
        var error = await Assert.ThrowsAsync<CatalogUnavailableException>(() => catalog.FindOverlapping(T0, T0.AddMinutes(1), CancellationToken.None));
        Assert.Contains(_root, error.Message);
        await catalog.StopAsync(CancellationToken.None);
    }
}
