using Focus.IntegrationTests.Historic;
using Focus.IntegrationTests.Infrastructure;

namespace Focus.IntegrationTests.Launcher;

/// <summary>
/// The real service in this process with <c>Focus:Analyzer:Host=process</c>: each job's data plane is a child process
/// of the test host (<c>dotnet Focus.Analyzer.dll --job …</c> from the test's output folder). It also has storage with
/// the <see cref="HistoricSeeds"/>, for a historic job, and reports progress every 200 ms.
/// </summary>
public sealed class ProcessHostService : FocusService, IAsyncLifetime
{
    public ProcessHostService() : this(CreateStorage()) { }

    private ProcessHostService(string storage) : base(new Dictionary<string, string?>
    {
        ["Focus:Analyzer:Host"] = "process",
        ["Focus:Analyzer:RestartDelay"] = "00:00:00.200",
        ["Focus:Storage:MountPath"] = storage,
        ["Focus:Jobs:ProgressInterval"] = "00:00:00.200",
    }) => Storage = storage;

    public string Storage { get; }

    protected override int StreamPorts => 30;

    private static string CreateStorage()
    {
        var folder = Path.Combine(Path.GetTempPath(), $"focus-launcher-test-{Guid.NewGuid():N}");
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
public sealed class ProcessHostCollection : ICollectionFixture<ProcessHostService>
{
    public const string Name = "process host";
}
