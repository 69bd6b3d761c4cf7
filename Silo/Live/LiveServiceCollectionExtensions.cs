using Focus.Analyzer.Sources;
using Focus.Analyzer.Sources.RabbitMq;
using Focus.Gateway.Apis;
using Microsoft.Extensions.Options;

namespace Focus.Silo.Live;

public static class LiveServiceCollectionExtensions
{
    /// <summary>
    /// Live input from RabbitMQ (<c>Focus:Live:Source=rabbitmq</c>): the shared connection, the per-job source,
    /// the Prpcast.Info consumer and the broker's readiness check.
    /// </summary>
    public static IServiceCollection AddRabbitMqLiveInput(this IServiceCollection services)
    {
        services.AddSingleton(sp =>
        {
            var o = sp.GetRequiredService<IOptions<LiveOptions>>().Value; // validated at start
            return new RabbitMqSettings
            {
                Broker = new Uri(o.Broker),
                MaxQueueBytes = o.MaxQueueBytes,
                Prefetch = (ushort)o.Prefetch,
                ReorderWindow = o.ReorderWindow,
                ClientName = $"focus {Environment.MachineName}",
            };
        });
        services.AddSingleton<BrokerConnection>();
        services.AddSingleton<RecorderFiber>();
        services.AddSingleton<LiveInstruments>();
        services.AddSingleton<RabbitMqLiveSource>();
        services.AddSingleton<ILiveSource>(sp => sp.GetRequiredService<RabbitMqLiveSource>());
        services.AddSingleton<PrpcastConsumer>();
        services.AddHostedService(sp => sp.GetRequiredService<PrpcastConsumer>());
        services.AddHealthChecks().AddCheck<BrokerHealthCheck>("broker", tags: [OperationsApi.ReadyTag]);
        return services;
    }
}
