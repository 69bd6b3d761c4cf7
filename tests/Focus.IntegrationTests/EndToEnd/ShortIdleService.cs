using Focus.IntegrationTests.Infrastructure;

namespace Focus.IntegrationTests.EndToEnd;

/// <summary>A service with a 2 s idle timeout, a path base and room for three jobs.</summary>
public sealed class ShortIdleService() : FocusService(new Dictionary<string, string?>
{
    ["Focus:Jobs:IdleTimeout"] = "00:00:02",
    ["Focus:Jobs:ProgressInterval"] = "00:00:00.200",
    ["Focus:Jobs:MaxConcurrent"] = "3",
    ["Focus:Gateway:PathBase"] = "/focus-server",
})
{
    protected override string PathBase => "/focus-server";

    protected override int StreamPorts => 20;
}
