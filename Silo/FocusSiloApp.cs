using Focus.Gateway.Hosting;
using Focus.Silo.Hosting;

namespace Focus.Silo;

/// <summary>The single-node service: a silo with the REST gateway and dashboard co-hosted.</summary>
public static class FocusSiloApp
{
    /// <param name="configure">Last words on the builder before the silo is added (tests: a log sink).</param>
    public static WebApplication Create(string[] args, Action<WebApplicationBuilder>? configure = null)
    {
        var builder = WebApplication.CreateBuilder(args);
        configure?.Invoke(builder);
        builder.AddFocusSilo();
        builder.AddFocusGateway();

        var app = builder.Build();
        app.MapFocusGateway();
        app.MapFocusDashboard();
        return app;
    }
}
