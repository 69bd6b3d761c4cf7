using Focus.IntegrationTests.Infrastructure;

namespace Focus.IntegrationTests.Historic;

/// <summary>
/// The real service with its own storage folder, filled by the recorder with <see cref="HistoricSeeds"/> before
/// start (folder catalog), an 8 s idle timeout (short, yet long enough for a loaded machine to connect) and progress every 200 ms. The folder goes away with the fixture.
/// </summary>
public sealed class HistoricService : FocusService, IAsyncLifetime
{
    public HistoricService() : this(CreateStorage()) { }

    private HistoricService(string storage) : base(new Dictionary<string, string?>
    {
        ["Focus:Storage:MountPath"] = storage,
        ["Focus:Jobs:IdleTimeout"] = "00:00:08",
        ["Focus:Jobs:ProgressInterval"] = "00:00:00.200",
    }) => Storage = storage;

    public string Storage { get; }

    protected override int StreamPorts => 30;

    private static string CreateStorage()
    {
        var folder = Path.Combine(Path.GetTempPath(), $"focus-historic-test-{Guid.NewGuid():N}");
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

[CollectionDefinition(Name)]
public sealed class HistoricCollection : ICollectionFixture<HistoricService>
{
    public const string Name = "historic";
}
