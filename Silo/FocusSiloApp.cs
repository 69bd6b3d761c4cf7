using Focus.Gateway.Hosting;
using Focus.Silo.Hosting;

namespace Focus.Silo;

/// <summary>The single-node service: a silo with the REST gateway and dashboard co-hosted.</summary>
public static class FocusSiloApp
{
    public static WebApplication Create(string[] args)
    {
        var builder = WebApplication.CreateBuilder(args);
        builder.AddFocusSilo();
        builder.AddFocusGateway();

        var app = builder.Build();
        app.MapFocusGateway();
        app.MapFocusDashboard();
        return app;
    }
}
