namespace Focus.Gateway.RateLimits;

/// <summary>
/// <c>Focus:RateLimits:Configure</c>: a token bucket of <c>/configure</c> calls per client (the identity with auth
/// on, the remote address with it off). Unset <see cref="TokenLimit"/>: 20 with auth on, off with auth off, so
/// production's clients see no change unless a site asks for it.
/// </summary>
public sealed class ConfigureRateLimitOptions
{
    public const string Section = "Focus:RateLimits:Configure";

    public const int DefaultWithAuth = 20;

    /// <summary>Calls a client may make at once (the bucket); 0: no limit.</summary>
    public int? TokenLimit { get; set; }

    /// <summary>Calls added back to the bucket every <see cref="ReplenishmentPeriod"/>.</summary>
    public int TokensPerPeriod { get; set; } = 10;

    public TimeSpan ReplenishmentPeriod { get; set; } = TimeSpan.FromMinutes(1);

    public int EffectiveTokenLimit(bool authOn) => TokenLimit ?? (authOn ? DefaultWithAuth : 0);
}
