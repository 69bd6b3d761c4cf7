using Focus.Grains.Security;
using Microsoft.AspNetCore.Authorization;

namespace Focus.Gateway.Security;

/// <summary>
/// The authorization policies. With auth on every endpoint needs an analyst or operator (the fallback policy),
/// and <see cref="Operator"/> endpoints an operator; with auth off every policy lets everyone through, so the
/// same endpoint metadata serves both modes.
/// </summary>
public static class FocusPolicies
{
    /// <summary>The dashboard and <c>/metrics</c>.</summary>
    public const string Operator = "focus-operator";

    internal static void Configure(AuthorizationOptions options, bool authOn)
    {
        if (!authOn)
        {
            options.AddPolicy(Operator, p => p.RequireAssertion(_ => true));
            return;
        }
        options.FallbackPolicy = new AuthorizationPolicyBuilder().RequireAuthenticatedUser().RequireRole(FocusRoles.All).Build();
        options.AddPolicy(Operator, p => p.RequireAuthenticatedUser().RequireRole(FocusRoles.Operator));
    }
}
