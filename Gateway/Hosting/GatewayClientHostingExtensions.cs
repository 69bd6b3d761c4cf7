using Focus.Grains.Hosting;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Orleans.Configuration;

namespace Focus.Gateway.Hosting;

/// <summary>The standalone gateway's link to the cluster: an Orleans client that waits for the cluster and reconnects.</summary>
public static class GatewayClientHostingExtensions
{
    public static WebApplicationBuilder AddFocusClusterClient(this WebApplicationBuilder builder)
    {
        if (string.IsNullOrEmpty(builder.Configuration["Urls"])) builder.WebHost.UseUrls("http://127.0.0.1:5000");
        builder.Logging.AddFilter("Orleans", LogLevel.Warning);
        builder.Logging.AddFilter("Microsoft.AspNetCore", LogLevel.Warning);

        var services = builder.Services;
        services.AddValidatedOptions<GatewayClusterOptions, FocusClusterOptionsValidator<GatewayClusterOptions>>(builder.Configuration.GetSection(GatewayClusterOptions.Section));

        var cluster = ConfigEnum.GetOrDefaults<GatewayClusterOptions>(builder.Configuration.GetSection(GatewayClusterOptions.Section));
        builder.UseOrleansClient(client =>
        {
            if (cluster.IsAdoNet)
            {
                client.Configure<ClusterOptions>(o =>
                {
                    o.ClusterId = cluster.ClusterId;
                    o.ServiceId = cluster.ServiceId;
                });
                client.UseAdoNetClustering(o =>
                {
                    o.Invariant = "Npgsql";
                    o.ConnectionString = cluster.ConnectionString;
                });
            }
            else
            {
                client.UseLocalhostClustering(cluster.GatewayPort, cluster.ServiceId, cluster.ClusterId);
            }

            client.AddActivityPropagation(); // a request's trace continues in the grains it calls
            client.Services.AddStoreExceptionSerialization();
            client.Configure<ClientMessagingOptions>(o => o.ResponseTimeout = cluster.ResponseTimeout);
            client.Configure<GatewayOptions>(o => o.GatewayListRefreshPeriod = cluster.GatewayListRefreshPeriod);
            // Start before the cluster is up and keep trying: /health/ready says when it is joined.
            client.Services.AddSingleton<IClientConnectionRetryFilter, ClusterConnectRetry>();
        });
        return builder;
    }
}
