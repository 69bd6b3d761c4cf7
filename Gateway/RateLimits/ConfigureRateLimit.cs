using System.Globalization;
using System.Threading.RateLimiting;
using Focus.Gateway.Apis;
using Focus.Gateway.Problems;
using Focus.Grains.Security;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.RateLimiting;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace Focus.Gateway.RateLimits;

/// <summary>The <c>/configure</c> rate limit: ASP.NET Core's token bucket, one per client, 429 problem naming it.</summary>
public static class ConfigureRateLimit
{
    public const string Policy = "configure";

    internal static void Configure(RateLimiterOptions options)
    {
        options.AddPolicy(Policy, http =>
        {
            var limits = http.RequestServices.GetRequiredService<IOptions<ConfigureRateLimitOptions>>().Value;
            var tokens = limits.EffectiveTokenLimit(http.RequestServices.GetRequiredService<IOptions<AuthOptions>>().Value.IsOn);
            if (tokens == 0) return RateLimitPartition.GetNoLimiter("");
            return RateLimitPartition.GetTokenBucketLimiter(JobCallers.Of(http).Client, _ => new TokenBucketRateLimiterOptions
            {
                TokenLimit = tokens,
                TokensPerPeriod = limits.TokensPerPeriod,
                ReplenishmentPeriod = limits.ReplenishmentPeriod,
                QueueLimit = 0,
                AutoReplenishment = true,
            });
        });
        options.OnRejected = async (context, cancellationToken) =>
        {
            var http = context.HttpContext;
            var limits = http.RequestServices.GetRequiredService<IOptions<ConfigureRateLimitOptions>>().Value;
            var wait = context.Lease.TryGetMetadata(MetadataName.RetryAfter, out var retryAfter) ? retryAfter : limits.ReplenishmentPeriod;
            var seconds = Math.Max(1, (int)Math.Ceiling(wait.TotalSeconds));
            http.Response.Headers.RetryAfter = seconds.ToString(CultureInfo.InvariantCulture);
            var tokens = limits.EffectiveTokenLimit(http.RequestServices.GetRequiredService<IOptions<AuthOptions>>().Value.IsOn);
            await FocusProblems.Create(StatusCodes.Status429TooManyRequests, "Too many requests",
                    $"/configure rate limit ({ConfigureRateLimitOptions.Section}): {tokens} calls at once, {limits.TokensPerPeriod} more every {limits.ReplenishmentPeriod} per client; retry after {seconds} s")
                .ExecuteAsync(http);
        };
    }
}
