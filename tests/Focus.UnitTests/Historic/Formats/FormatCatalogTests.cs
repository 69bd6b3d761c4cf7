using System.Diagnostics.Metrics;
using Focus.Analyzer.Historic;
using Focus.Grains.Recordings;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;

namespace Focus.UnitTests.Historic.Formats;

/// <summary>The folder catalog indexes SEG-Y and the vendors' HDF5 beside PRODML; what cannot be played is skipped, said and counted.</summary>
public sealed class FormatCatalogTests(SegyFiles segy) : IClassFixture<SegyFiles>, IDisposable
{
    private readonly string _root = Path.Combine(Path.GetTempPath(), $"focus-format-catalog-{Guid.NewGuid():N}");
    private readonly TestMeterFactory _meters = new();

    public void Dispose()
    {
        _meters.Dispose();
        if (Directory.Exists(_root)) Directory.Delete(_root, recursive: true);
    }

    [Fact]
    public async Task Every_vendor_sample_is_listed_or_skipped_with_its_reason_and_counted()
    {
        Directory.CreateDirectory(_root);
        foreach (var name in new[] { "prodml_fbe_1.h5", "terra15_v5_test_file.hdf5", "silixa_h5_1.hdf5", "prodml_2.0.h5", "iDAS005_hdf5_example.626.h5" })
            File.CreateSymbolicLink(Path.Combine(_root, name), SharedData.Das(name));
        foreach (var file in segy.Cases)
            File.CreateSymbolicLink(Path.Combine(_root, file.Name.ToUpperInvariant().Replace(".SGY", ".sgy", StringComparison.Ordinal)), segy.PathOf(file));
        var skipped = new List<string>();
        using var listener = new MeterListener();
        listener.InstrumentPublished = (instrument, l) =>
        {
            if (instrument.Name == "focus_recordings_skipped" && _meters.Owns(instrument.Meter)) l.EnableMeasurementEvents(instrument);
        };
        listener.SetMeasurementEventCallback<long>((_, _, tags, _) =>
        {
            foreach (var tag in tags)
                if (tag.Key == "reason") lock (skipped) skipped.Add((string)tag.Value!);
        });
        listener.Start();

        using var catalog = new FolderRecordingCatalog(
            Options.Create(new StorageOptions { MountPath = _root }),
            Options.Create(new CatalogOptions()),
            new RecordingInstruments(_meters),
            NullLogger<FolderRecordingCatalog>.Instance);
        await catalog.StartAsync(CancellationToken.None);
        try
        {
            var all = await catalog.FindOverlapping(DateTimeOffset.UnixEpoch, new DateTimeOffset(2030, 1, 1, 0, 0, 0, TimeSpan.Zero), CancellationToken.None);
            var listed = all.Select(r => r.Id).ToHashSet();
            Assert.Contains("terra15_v5_test_file.hdf5", listed);
            Assert.Contains("silixa_h5_1.hdf5", listed);
            Assert.Contains("prodml_2.0.h5", listed);
            Assert.Contains("iDAS005_hdf5_example.626.h5", listed);
            Assert.DoesNotContain("prodml_fbe_1.h5", listed);
            Assert.Equal(segy.Cases.Count + 4, all.Count); // every SEG-Y file, .sgy and .segy, whatever the case of its name

            var silixa = all.Single(r => r.Id == "silixa_h5_1.hdf5");
            Assert.Equal((500.0, 3840), (silixa.Prr, silixa.Channels));
            var terra15 = all.Single(r => r.Id == "terra15_v5_test_file.hdf5");
            Assert.Equal(43, terra15.Channels);
            var rev2 = all.Single(r => r.Id == "REV2-IEEE-LE.SEGY");
            Assert.Equal((3200.0, 6), (rev2.Prr, rev2.Channels));

            var reason = Assert.Single(catalog.Skipped).Value;
            Assert.Contains("prodml_fbe_1.h5: no raw data", reason);
            Assert.Equal(["no_raw_data"], skipped);
        }
        finally
        {
            await catalog.StopAsync(CancellationToken.None);
        }
    }

    [Fact]
    public void The_mongo_layout_finds_a_recording_in_any_format_by_its_uuid()
    {
        Directory.CreateDirectory(_root);
        File.WriteAllText(Path.Combine(_root, "b.segy"), "");
        File.WriteAllText(Path.Combine(_root, "c.sgy"), "");
        File.WriteAllText(Path.Combine(_root, "d.hdf5"), "");
        Assert.Equal(Path.Combine(_root, "a.h5"), MongoRecordingQueries.FilePath(_root, "a")); // none there: .h5, as before
        Assert.Equal(Path.Combine(_root, "b.segy"), MongoRecordingQueries.FilePath(_root, "b"));
        Assert.Equal(Path.Combine(_root, "c.sgy"), MongoRecordingQueries.FilePath(_root, "c"));
        Assert.Equal(Path.Combine(_root, "d.hdf5"), MongoRecordingQueries.FilePath(_root, "d"));
        Assert.Equal(Path.Combine(_root, "e.segy"), MongoRecordingQueries.FilePath(_root, "e.segy"));
    }
}
