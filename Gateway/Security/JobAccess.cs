using System.Security.Claims;
using Focus.Grains.Jobs;
using Focus.Grains.Security;
using Microsoft.Extensions.Options;

namespace Focus.Gateway.Security;

/// <summary>
/// Who may do what to a job, beyond the route's policy: with auth on an analyst reads, cancels and streams only
/// the jobs they own, an operator any; with auth off everyone everything. Also mints the job's stream token.
/// </summary>
public sealed class JobAccess
{
    private readonly StreamTokens? _tokens;

    public JobAccess(IOptions<AuthOptions> options, TimeProvider clock)
    {
        IsOn = options.Value.IsOn;
        if (IsOn) _tokens = new StreamTokens(options.Value.StreamTokens, clock);
    }

    public bool IsOn { get; }

    public bool SeesEveryJob(ClaimsPrincipal user) => !IsOn || user.IsInRole(FocusRoles.Operator);

    public bool MayUse(ClaimsPrincipal user, JobCaller? caller) =>
        SeesEveryJob(user) || (caller?.Owner is { } owner && owner == user.Identity?.Name);

    /// <summary>The <c>stream_token</c> for the job's port; null with auth off (the port is open).</summary>
    public string? StreamToken(string jobId) => _tokens?.Mint(jobId);
}
