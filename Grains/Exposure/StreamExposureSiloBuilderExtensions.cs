using Focus.Grains.Hosting;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;
using Orleans.Configuration;
using Orleans.Runtime;

namespace Focus.Grains.Exposure;

public static class StreamExposureSiloBuilderExtensions
{
    /// <summary>
    /// <c>Focus:Streams:Exposure</c>: <c>direct</c> adds nothing to run; <c>kubernetes</c> adds the API client
    /// (<c>Focus:Kubernetes</c>, validated at start), names the silo after its pod (a job's pod is its silo), and
    /// starts the sweeper.
    /// </summary>
    public static ISiloBuilder AddFocusStreamExposure(this ISiloBuilder silo, IConfiguration configuration)
    {
        var services = silo.Services;
        services.AddValidatedOptions<StreamExposureOptions, StreamExposureOptionsValidator>(configuration.GetSection(StreamExposureOptions.Section));

        var exposure = ConfigEnum.GetOrDefaults<StreamExposureOptions>(configuration.GetSection(StreamExposureOptions.Section));
        if (!exposure.IsKubernetes)
        {
            services.TryAddSingleton<IStreamExposure, DirectStreamExposure>();
            return silo;
        }

        services.AddValidatedOptions<KubernetesOptions, KubernetesOptionsValidator>(configuration.GetSection(KubernetesOptions.Section));
        services.PostConfigure<SiloOptions>(o =>
        {
            var pod = configuration.GetSection(KubernetesOptions.Section).Get<KubernetesOptions>()?.EffectivePodName;
            if (!string.IsNullOrEmpty(pod)) o.SiloName = pod;
        });
        services.TryAddSingleton(TimeProvider.System);
        services.AddMetrics();
        services.TryAddSingleton<KubernetesInstruments>();
        services.TryAddSingleton<KubernetesApi>();
        services.TryAddSingleton<IStreamExposure, KubernetesStreamExposure>();
        services.AddSingleton<ILifecycleParticipant<ISiloLifecycle>, StreamServiceSweepStartup>();
        return silo;
    }
}
