using Focus.IntegrationTests.Infrastructure;

namespace Focus.IntegrationTests.EndToEnd;

/// <summary>A service where a client may hold 2 jobs and an ended job is kept 1 s.</summary>
public sealed class HostileClientService() : FocusService(new Dictionary<string, string?>
{
    ["Focus:Jobs:MaxPerClient"] = "2",
    ["Focus:Jobs:Retention"] = "00:00:01",
})
{
    protected override int StreamPorts => 20;
}
