using Focus.IntegrationTests.Infrastructure;

namespace Focus.IntegrationTests.Historic;

/// <summary>
/// The real service with a storage folder of its own, filled by the recorder with <see cref="HistoricSeeds"/> before
/// start (folder catalog), and progress every 200 ms. The folder goes away with the fixture.
/// </summary>
public abstract class SeededStorageService : FocusService, IAsyncLifetime
{
    protected SeededStorageService(string name, Dictionary<string, string?> settings) : this(settings, CreateStorage(name)) { }

    private SeededStorageService(Dictionary<string, string?> settings, string storage)
        : base(new Dictionary<string, string?>(settings)
        {
            ["Focus:Storage:MountPath"] = storage,
            ["Focus:Jobs:ProgressInterval"] = "00:00:00.200",
        }) => Storage = storage;

    public string Storage { get; }

    protected override int StreamPorts => 30;

    private static string CreateStorage(string name)
    {
        var folder = Path.Combine(Path.GetTempPath(), $"focus-{name}-test-{Guid.NewGuid():N}");
        HistoricSeeds.Write(folder);
        return folder;
    }

    public new async Task DisposeAsync()
    {
        await base.DisposeAsync();
        try
        {
            Directory.Delete(Storage, recursive: true);
        }
        catch (IOException)
        {
            // best effort
        }
    }
}
