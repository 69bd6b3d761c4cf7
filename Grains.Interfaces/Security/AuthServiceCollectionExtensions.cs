using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;

namespace Focus.Grains.Security;

public static class AuthServiceCollectionExtensions
{
    /// <summary>
    /// Binds and validates <see cref="AuthOptions"/> once, however many features need it (the silo adds both the
    /// gateway and the analyzer): binding twice would append every list, each key twice.
    /// </summary>
    public static IServiceCollection AddFocusAuthOptions(this IServiceCollection services, IConfiguration configuration)
    {
        if (services.Any(d => d.ServiceType == typeof(IValidateOptions<AuthOptions>))) return services;
        services.AddValidatedOptions<AuthOptions, AuthOptionsValidator>(configuration.GetSection(AuthOptions.Section));
        return services;
    }
}
