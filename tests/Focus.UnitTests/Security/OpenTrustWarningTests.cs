using Focus.Gateway.Management;
using Focus.Gateway.Security;
using Focus.Grains.Security;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Focus.UnitTests.Security;

public sealed class OpenTrustWarningTests
{
    [Theory]
    [InlineData("none", "http://0.0.0.0:5000", true)]
    [InlineData("none", "http://[::]:5000", true)]
    [InlineData("none", "http://10.1.2.3:5000", true)]
    [InlineData("none", "http://127.0.0.1:5000", false)]
    [InlineData("none", "http://localhost:5000", false)]
    [InlineData("none", "http://[::1]:5000", false)]
    [InlineData("none", "http://0.0.0.0:9464", false)] // the management port, not REST
    [InlineData("apikey", "http://0.0.0.0:5000", false)]
    public async Task Warns_when_auth_is_off_and_REST_listens_beyond_loopback(string mode, string address, bool warns)
    {
        var server = new Server(address);
        var lifetime = new Lifetime();
        var logger = new Warnings();
        var warning = new OpenTrustWarning(server, lifetime, Options.Create(new AuthOptions { Mode = Enum.Parse<AuthMode>(mode, ignoreCase: true) }),
            Options.Create(new ManagementOptions { Urls = "http://0.0.0.0:9464" }), logger);

        await warning.StartAsync(CancellationToken.None);
        lifetime.Start();

        Assert.Equal(warns, logger.Messages.Any(m => m.Contains(address) && m.Contains("Focus:Auth:Mode is none")));
    }

    private sealed class Server(string address) : IServer
    {
        public IFeatureCollection Features { get; } = Make(address);

        private static FeatureCollection Make(string address)
        {
            var features = new FeatureCollection();
            var addresses = new ServerAddressesFeature();
            addresses.Addresses.Add(address);
            features.Set<IServerAddressesFeature>(addresses);
            return features;
        }

        public Task StartAsync<TContext>(IHttpApplication<TContext> application, CancellationToken cancellationToken) where TContext : notnull => Task.CompletedTask;

        public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;

        public void Dispose() { }
    }

    private sealed class Lifetime : IHostApplicationLifetime
    {
        private readonly CancellationTokenSource _started = new();

        public CancellationToken ApplicationStarted => _started.Token;
        public CancellationToken ApplicationStopping => CancellationToken.None;
        public CancellationToken ApplicationStopped => CancellationToken.None;

        public void Start() => _started.Cancel();

        public void StopApplication() { }
    }

    private sealed class Warnings : ILogger<OpenTrustWarning>
    {
        public List<string> Messages { get; } = [];

        public IDisposable? BeginScope<TState>(TState state) where TState : notnull => null;

        public bool IsEnabled(LogLevel logLevel) => true;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter) =>
            Messages.Add(formatter(state, exception));
    }
}
