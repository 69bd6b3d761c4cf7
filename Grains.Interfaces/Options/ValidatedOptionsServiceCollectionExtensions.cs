using Focus.Grains.Hosting;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;

namespace Microsoft.Extensions.DependencyInjection;

public static class ValidatedOptionsServiceCollectionExtensions
{
    /// <summary>
    /// Options of one concern: bound from <paramref name="section"/>, checked by <typeparamref name="TValidator"/> when
    /// the host starts (a bad key stops it, naming the key), registered once however often this is called. A mode key
    /// (an enum) holding no valid name fails the same way, listing the names, before the binder would throw without them.
    /// </summary>
    public static OptionsBuilder<TOptions> AddValidatedOptions<TOptions, TValidator>(this IServiceCollection services, IConfiguration section)
        where TOptions : class
        where TValidator : class, IValidateOptions<TOptions>
    {
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<TOptions>, TValidator>());
        return services.AddOptions<TOptions>()
            .Configure(_ =>
            {
                var wrong = ConfigEnum.WrongNames(typeof(TOptions), section).ToList();
                if (wrong.Count > 0) throw new OptionsValidationException(Microsoft.Extensions.Options.Options.DefaultName, typeof(TOptions), wrong);
            })
            .Bind(section)
            .ValidateOnStart();
    }
}
