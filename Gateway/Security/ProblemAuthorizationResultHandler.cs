using Focus.Gateway.Audit;
using Focus.Gateway.Problems;
using Focus.Grains.Security;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Authorization.Infrastructure;
using Microsoft.AspNetCore.Authorization.Policy;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Options;

namespace Focus.Gateway.Security;

/// <summary>
/// 401 and 403 as problem+json (CONTRACT §1: <c>detail</c> and <c>error</c>), after the scheme's own challenge
/// or forbid has set its headers (<c>WWW-Authenticate</c>). The body says what was missing, never job data.
/// </summary>
internal sealed class ProblemAuthorizationResultHandler(IOptions<AuthOptions> auth, AuditLog audit) : IAuthorizationMiddlewareResultHandler
{
    private readonly AuthorizationMiddlewareResultHandler _default = new();

    public async Task HandleAsync(RequestDelegate next, HttpContext context, AuthorizationPolicy policy, PolicyAuthorizationResult authorizeResult)
    {
        if (authorizeResult.Challenged)
        {
            await context.ChallengeAsync();
            audit.Denied(context, StatusCodes.Status401Unauthorized);
            var how = auth.Value.Mode == AuthMode.ApiKey
                ? "Authorization: ApiKey <key> or X-Api-Key: <key>"
                : "Authorization: Bearer <token>";
            await FocusProblems.Create(StatusCodes.Status401Unauthorized, "Unauthorized",
                $"credentials are missing, unknown or expired; send {how}").ExecuteAsync(context);
            return;
        }
        if (authorizeResult.Forbidden)
        {
            await context.ForbidAsync();
            audit.Denied(context, StatusCodes.Status403Forbidden);
            var roles = policy.Requirements.OfType<RolesAuthorizationRequirement>().SelectMany(r => r.AllowedRoles).Distinct();
            await FocusProblems.Forbidden($"this route needs the role {string.Join(" or ", roles)}").ExecuteAsync(context);
            return;
        }
        await _default.HandleAsync(next, context, policy, authorizeResult);
    }
}
