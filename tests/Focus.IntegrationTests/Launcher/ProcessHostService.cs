using Focus.IntegrationTests.Historic;

namespace Focus.IntegrationTests.Launcher;

/// <summary>
/// The real service in this process with <c>Focus:Analyzer:Host=process</c>: each job's data plane is a child process
/// of the test host (<c>dotnet Focus.Analyzer.dll --job …</c> from the test's output folder). Its seeded storage
/// (<see cref="SeededStorageService"/>) serves a historic job.
/// </summary>
public sealed class ProcessHostService() : SeededStorageService("launcher", new Dictionary<string, string?>
{
    ["Focus:Analyzer:Host"] = "process",
    ["Focus:Analyzer:RestartDelay"] = "00:00:00.200",
});

[CollectionDefinition(Name)]
public sealed class ProcessHostCollection : ICollectionFixture<ProcessHostService>
{
    public const string Name = "process host";
}
