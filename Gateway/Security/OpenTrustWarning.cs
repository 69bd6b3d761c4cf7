using System.Net;
using Focus.Gateway.Management;
using Focus.Grains.Security;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Focus.Gateway.Security;

/// <summary>
/// <c>Focus:Auth:Mode=none</c> on an address other machines reach: anyone there may create, watch and DELETE
/// jobs. Allowed (production's model), but said at start so nobody runs it that way by accident.
/// </summary>
internal sealed partial class OpenTrustWarning(
    IServer server, IHostApplicationLifetime lifetime, IOptions<AuthOptions> auth, IOptions<ManagementOptions> management,
    ILogger<OpenTrustWarning> logger) : IHostedService
{
    public Task StartAsync(CancellationToken cancellationToken)
    {
        if (!auth.Value.IsOn) lifetime.ApplicationStarted.Register(Check);
        return Task.CompletedTask;
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    private void Check()
    {
        var addresses = server.Features.Get<IServerAddressesFeature>()?.Addresses ?? [];
        var managementPorts = management.Value.Ports;
        foreach (var address in addresses)
        {
            if (!Uri.TryCreate(address, UriKind.Absolute, out var uri) || managementPorts.Contains(uri.Port)) continue;
            var host = uri.Host.Trim('[', ']');
            var loopback = host == "localhost" || (IPAddress.TryParse(host, out var ip) && IPAddress.IsLoopback(ip));
            if (!loopback) LogOpen(address);
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Focus:Auth:Mode is none and REST listens on {Address}: anyone who reaches it may create, read and cancel any job. Set Focus:Auth:Mode=apikey or jwt (docs/SECURITY.md).")]
    private partial void LogOpen(string address);
}
