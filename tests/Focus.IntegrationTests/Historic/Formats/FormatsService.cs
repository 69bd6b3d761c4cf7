using Focus.IntegrationTests.Infrastructure;
using Focus.UnitTests.Historic.Formats;

namespace Focus.IntegrationTests.Historic.Formats;

/// <summary>
/// The real service over a storage folder of every recording format it reads: segyio's SEG-Y files
/// (<c>segy_recordings.py</c>, each at its own hour of 2025-04-01) beside links to the Terra15, Silixa and processed
/// PRODML vendor samples. The folder goes away with the fixture.
/// </summary>
public sealed class FormatsService : FocusService
{
    public const string Terra15 = "terra15_v5_test_file.hdf5";
    public const string Silixa = "silixa_h5_1.hdf5";
    public const string Fbe = "prodml_fbe_1.h5";

    public FormatsService() : this(CreateStorage()) { }

    private FormatsService(string storage)
        : base(new Dictionary<string, string?> { ["Focus:Storage:MountPath"] = storage, ["Focus:Jobs:IdleTimeout"] = "00:00:20" })
    {
        Storage = storage;
        Segy = SegyFiles.Read(storage);
    }

    public string Storage { get; }

    public IReadOnlyList<SegyCase> Segy { get; }

    protected override int StreamPorts => 30;

    private static string CreateStorage()
    {
        var folder = VendorSamples.LinkedFolder("formats", Terra15, Silixa, Fbe);
        SegyFiles.Write(folder);
        return folder;
    }

    public override async Task DisposeAsync()
    {
        await base.DisposeAsync();
        Directory.Delete(Storage, recursive: true);
    }
}
