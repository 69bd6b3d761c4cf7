using Focus.Gateway.Audit;
using Focus.Gateway.Management;
using Focus.Gateway.RateLimits;
using Focus.Grains.Hosting;
using Focus.Grains.Security;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authentication.JwtBearer;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;

namespace Focus.Gateway.Security;

/// <summary>
/// Identities (<c>Focus:Auth</c>), roles, the management port, the <c>/configure</c> rate limit and the audit log.
/// With <c>Focus:Auth:Mode=none</c> (the default) nothing here changes an answer.
/// </summary>
public static class SecurityHostingExtensions
{
    public static IHostApplicationBuilder AddFocusSecurity(this IHostApplicationBuilder builder)
    {
        var services = builder.Services;
        var configuration = builder.Configuration;
        services.AddFocusAuthOptions(configuration);
        services.AddValidatedOptions<ManagementOptions, ManagementOptionsValidator>(configuration.GetSection(ManagementOptions.Section));
        services.AddValidatedOptions<ConfigureRateLimitOptions, ConfigureRateLimitOptionsValidator>(configuration.GetSection(ConfigureRateLimitOptions.Section));
        services.TryAddSingleton(TimeProvider.System);
        services.AddSingleton<JobAccess>();
        services.AddSingleton<AuditLog>();
        services.AddHostedService<OpenTrustWarning>();
        services.AddSingleton<IConfigureOptions<KestrelServerOptions>, RestCertificateRenewal>();

        var auth = ConfigEnum.GetOrDefaults<AuthOptions>(configuration.GetSection(AuthOptions.Section));
        var authentication = auth.Mode switch
        {
            AuthMode.ApiKey => services.AddAuthentication(ApiKeyAuthenticationHandler.SchemeName),
            AuthMode.Jwt => services.AddAuthentication(JwtBearerDefaults.AuthenticationScheme),
            _ => services.AddAuthentication(),
        };
        if (auth.Mode == AuthMode.ApiKey)
            authentication.AddScheme<AuthenticationSchemeOptions, ApiKeyAuthenticationHandler>(ApiKeyAuthenticationHandler.SchemeName, null);
        if (auth.Mode == AuthMode.Jwt)
        {
            authentication.AddJwtBearer(o => JwtBearerSetup.Configure(o, auth.Jwt));
            services.PostConfigure<JwtBearerOptions>(JwtBearerDefaults.AuthenticationScheme, JwtBearerSetup.HonourOnlyPublishedKeys);
        }
        services.AddAuthorization(o => FocusPolicies.Configure(o, auth.IsOn));
        services.AddSingleton<IAuthorizationMiddlewareResultHandler, ProblemAuthorizationResultHandler>();
        services.AddRateLimiter(ConfigureRateLimit.Configure);

        // The management port is one more address of the same server; requests are told apart by the port they reach.
        var management = configuration.GetSection(ManagementOptions.Section).Get<ManagementOptions>() ?? new ManagementOptions();
        if (management.Urls.Length > 0)
            configuration["Urls"] = $"{configuration["Urls"] ?? "http://localhost:5000"};{management.Urls}";
        return builder;
    }

    /// <summary>After routing and CORS: the management port's split, then who the caller is, what they may do, how often.</summary>
    public static WebApplication UseFocusSecurity(this WebApplication app)
    {
        if (app.Services.GetRequiredService<IOptions<ManagementOptions>>().Value.Ports.Count > 0)
            app.UseMiddleware<ManagementPortMiddleware>();
        app.UseHsts(); // only on https responses (and never for localhost): REST on TLS tells browsers to stay on it
        app.UseAuthentication();
        app.UseAuthorization();
        app.UseRateLimiter();
        return app;
    }
}
