using Focus.IntegrationTests.Infrastructure;

namespace Focus.IntegrationTests.Auth;

/// <summary>Auth off (<c>none</c>) with a management port and a /configure rate limit of 2 per client.</summary>
public sealed class OpenLimitsService : FocusService
{
    private readonly int _port;

    public OpenLimitsService() : this(FreePorts.Any()) { }

    private OpenLimitsService(int port) : base(new Dictionary<string, string?>
    {
        ["Focus:Management:Urls"] = $"http://127.0.0.1:{port}",
        ["Focus:RateLimits:Configure:TokenLimit"] = "2",
        ["Focus:RateLimits:Configure:TokensPerPeriod"] = "1",
        ["Focus:RateLimits:Configure:ReplenishmentPeriod"] = "01:00:00",
    })
    {
        _port = port;
    }

    public HttpClient Management() => new() { BaseAddress = new Uri($"http://127.0.0.1:{_port}/") };
}
