using System.Diagnostics.Metrics;
using Focus.Analyzer.Historic;
using Focus.Analyzer.Sources.Simulated;
using Focus.Grains.Recordings;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;

namespace Focus.UnitTests.Historic;

/// <summary>
/// Issue 13, hostile data: every recording file is validated (times, dimensions, attribute sizes, chunk sizes) and a
/// bad one is skipped with its reason, counted, and never aborts the folder scan; the good files are listed.
/// </summary>
public sealed class HostileRecordingTests(HostileRecordingTests.Folder hostile) : IClassFixture<HostileRecordingTests.Folder>, IDisposable
{
    private static readonly DateTimeOffset T0 = new(2025, 6, 1, 12, 0, 0, TimeSpan.Zero);
    private readonly string _root = Path.Combine(Path.GetTempPath(), $"focus-hostile-{Guid.NewGuid():N}");

    public void Dispose()
    {
        if (Directory.Exists(_root)) Directory.Delete(_root, recursive: true);
    }

    /// <summary>The hostile files, written once for the class.</summary>
    public sealed class Folder : IDisposable
    {
        public string Path { get; } = System.IO.Path.Combine(System.IO.Path.GetTempPath(), $"focus-hostile-files-{Guid.NewGuid():N}");

        public Folder() => HostileRecordings.Write(Path);

        public void Dispose() => Directory.Delete(Path, recursive: true);
    }

    [Theory]
    [MemberData(nameof(Hostile))]
    public void Opening_a_hostile_file_is_a_format_error_with_a_reason(string name)
    {
        var error = Assert.Throws<RecordingFormatException>(() => ProdmlRecording.Open(Path.Combine(hostile.Path, name)));
        Assert.False(string.IsNullOrWhiteSpace(error.Reason));
    }

    public static TheoryData<string> Hostile => new(HostileRecordings.All);

    [Fact]
    public async Task The_scan_skips_every_hostile_file_with_its_reason_counts_it_and_lists_the_good_ones()
    {
        Directory.CreateDirectory(_root);
        foreach (var file in Directory.EnumerateFiles(hostile.Path)) File.Copy(file, Path.Combine(_root, Path.GetFileName(file)));
        new SimulatedRecorder(new SimulatedFiber(new SimulatorOptions { Channels = 4, Prr = 500 }), 4)
            .Record(Path.Combine(_root, "good"), T0, TimeSpan.FromSeconds(20), TimeSpan.FromSeconds(10), []);
        File.CreateSymbolicLink(Path.Combine(_root, "prodml_2.0.h5"), SharedData.Das("prodml_2.0.h5"));

        using var meters = new TestMeterFactory();
        var instruments = new RecordingInstruments(meters);
        using var skipped = new MeasurementRecorder(meters, "focus_recordings_skipped");
        using var catalog = new FolderRecordingCatalog(
            Options.Create(new StorageOptions { MountPath = _root }),
            Options.Create(new CatalogOptions()),
            instruments,
            NullLogger<FolderRecordingCatalog>.Instance);
        await catalog.StartAsync(CancellationToken.None).WaitAsync(TimeSpan.FromSeconds(120));
        try
        {
            var good = await catalog.FindOverlapping(T0, T0.AddMinutes(1), CancellationToken.None);
            Assert.Equal([T0, T0.AddSeconds(10)], good.Select(r => r.Start));
            Assert.Single(await catalog.FindOverlapping(DateTimeOffset.UnixEpoch, DateTimeOffset.UnixEpoch.AddHours(1), CancellationToken.None));

            var reasons = catalog.Skipped;
            Assert.Equal(HostileRecordings.All.Order(), reasons.Keys.Select(Path.GetFileName).Order());
            Assert.All(reasons.Values, reason => Assert.False(string.IsNullOrWhiteSpace(reason)));
            Assert.Contains("DateTime", reasons[Path.Combine(_root, "time-overflows-long.h5")]);
            Assert.Contains("chunk", reasons[Path.Combine(_root, "chunk-of-a-gibibyte.h5")]);
            Assert.Contains("loci", reasons[Path.Combine(_root, "loci-beyond-int.h5")]);
            Assert.Contains("schemaVersion", reasons[Path.Combine(_root, "attribute-of-a-million-strings.h5")]);
            Assert.Equal(HostileRecordings.All.Count(), skipped.Total);
            Assert.All(skipped.Reasons, r => Assert.Contains(r, new[] { "invalid", "unsupported_format", "no_raw_data", "unreadable" }));
        }
        finally
        {
            await catalog.StopAsync(CancellationToken.None);
        }
    }

    /// <summary>The measurements of one counter of meters made by one factory.</summary>
    private sealed class MeasurementRecorder : IDisposable
    {
        private readonly MeterListener _listener = new();
        private readonly List<string> _reasons = [];

        public MeasurementRecorder(TestMeterFactory factory, string name)
        {
            _listener.InstrumentPublished = (instrument, listener) =>
            {
                if (instrument.Name == name && factory.Owns(instrument.Meter)) listener.EnableMeasurementEvents(instrument);
            };
            _listener.SetMeasurementEventCallback<long>((_, value, tags, _) =>
            {
                lock (_reasons)
                    for (var i = 0; i < value; i++)
                        foreach (var tag in tags)
                            if (tag.Key == "reason") _reasons.Add((string)tag.Value!);
            });
            _listener.Start();
        }

        public int Total
        {
            get { lock (_reasons) return _reasons.Count; }
        }

        public IReadOnlyList<string> Reasons
        {
            get { lock (_reasons) return [.. _reasons]; }
        }

        public void Dispose() => _listener.Dispose();
    }
}
