using System.Net.Http.Json;
using Focus.Silo;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.DependencyInjection;

namespace Focus.IntegrationTests.Infrastructure;

/// <summary>
/// The real single-node service (silo, gateway, analyzer, simulator) in this process, on loopback
/// ports of its own: Kestrel for REST, Orleans silo and gateway ports, a block of stream ports.
/// </summary>
public class FocusService : IAsyncLifetime
{
    private readonly Dictionary<string, string?> _settings;
    private WebApplication? _app;

    public FocusService() : this(new Dictionary<string, string?>()) { }

    protected FocusService(Dictionary<string, string?> settings)
    {
        var (first, last) = FreePorts.Block(StreamPorts);
        _settings = new Dictionary<string, string?>
        {
            ["Urls"] = "http://127.0.0.1:0",
            ["Focus:Cluster:SiloPort"] = FreePorts.Any().ToString(),
            ["Focus:Cluster:GatewayPort"] = FreePorts.Any().ToString(),
            ["Focus:Cluster:ClusterId"] = $"test-{Guid.NewGuid():N}",
            ["Focus:Streams:PortRange"] = $"{first}-{last}",
            ["Focus:Streams:BindAddress"] = "127.0.0.1",
            ["Logging:LogLevel:Default"] = "Warning",
        };
        foreach (var (key, value) in settings) _settings[key] = value;
    }

    protected virtual int StreamPorts => 260;

    public HttpClient Http { get; private set; } = null!;

    public Uri BaseAddress { get; private set; } = null!;

    public IServiceProvider Services => _app!.Services;

    public virtual async Task InitializeAsync()
    {
        var args = _settings.Select(s => $"--{s.Key}={s.Value}").ToArray();
        _app = FocusSiloApp.Create(args, ConfigureBuilder);
        await _app.StartAsync();
        BaseAddress = new Uri(_app.Urls.First() + PathBase + "/");
        Http = new HttpClient(CreateHandler()) { BaseAddress = BaseAddress, Timeout = TimeSpan.FromSeconds(60) };
        Authorize(Http);

        // Ready when the simulator's fiber has been announced.
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(30);
        while ((await Http.GetAsync("channels")).StatusCode != System.Net.HttpStatusCode.OK)
        {
            if (DateTime.UtcNow > deadline) throw new TimeoutException("the service did not announce its fiber within 30 s");
            await Task.Delay(50);
        }
    }

    protected virtual string PathBase => "";

    /// <summary>Adds to the service before it is built (e.g. a log sink).</summary>
    protected virtual void ConfigureBuilder(WebApplicationBuilder builder) { }

    /// <summary>The handler of <see cref="Http"/> (a service on TLS trusts its test CA).</summary>
    protected virtual HttpMessageHandler CreateHandler() => new HttpClientHandler();

    /// <summary>Gives <see cref="Http"/> its credentials when the service has auth on.</summary>
    protected virtual void Authorize(HttpClient http) { }

    public T Get<T>() where T : notnull => Services.GetRequiredService<T>();

    public virtual async Task DisposeAsync()
    {
        Http?.Dispose();
        if (_app is not null)
        {
            await _app.StopAsync();
            await _app.DisposeAsync();
        }
    }
}
