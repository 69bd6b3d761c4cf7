using Focus.IntegrationTests.Infrastructure;

namespace Focus.IntegrationTests.Historic;

/// <summary>
/// The real service playing back the real vendor samples (<c>prodml_2.0.h5</c> and the iDAS sample), linked into a
/// storage folder of its own that goes away with the fixture.
/// </summary>
public sealed class VendorSampleService : FocusService
{
    public const string Prodml20 = "prodml_2.0.h5";
    public const string Idas = "iDAS005_hdf5_example.626.h5";

    public VendorSampleService() : this(VendorSamples.LinkedFolder("vendor-samples", Prodml20, Idas)) { }

    private VendorSampleService(string storage)
        : base(new Dictionary<string, string?> { ["Focus:Storage:MountPath"] = storage }) => Storage = storage;

    public string Storage { get; }

    protected override int StreamPorts => 10;

    public override async Task DisposeAsync()
    {
        await base.DisposeAsync();
        Directory.Delete(Storage, recursive: true);
    }
}
