using Focus.Gateway.Apis;

namespace Focus.Silo.Live;

public static class LiveServiceCollectionExtensions
{
    /// <summary>
    /// What the silo adds to the RabbitMQ live input (<c>Focus:Live:Source=rabbitmq</c>, wired by
    /// <c>AddFocusLiveSource</c>): the Prpcast.Info consumer and the broker's readiness check.
    /// </summary>
    public static IServiceCollection AddRabbitMqLiveInput(this IServiceCollection services)
    {
        services.AddSingleton<PrpcastConsumer>();
        services.AddHostedService(sp => sp.GetRequiredService<PrpcastConsumer>());
        services.AddHealthChecks().AddCheck<BrokerHealthCheck>("broker", tags: [OperationsApi.ReadyTag]);
        return services;
    }
}
