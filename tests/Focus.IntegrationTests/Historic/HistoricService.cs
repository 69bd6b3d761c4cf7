namespace Focus.IntegrationTests.Historic;

/// <summary>
/// The service with seeded storage (<see cref="SeededStorageService"/>) and an 8 s idle timeout (short, yet long enough
/// for a loaded machine to connect).
/// </summary>
public sealed class HistoricService() : SeededStorageService("historic", new Dictionary<string, string?>
{
    ["Focus:Jobs:IdleTimeout"] = "00:00:08",
});

[CollectionDefinition(Name)]
public sealed class HistoricCollection : ICollectionFixture<HistoricService>
{
    public const string Name = "historic";
}
