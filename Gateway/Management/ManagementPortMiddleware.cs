using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Options;

namespace Focus.Gateway.Management;

/// <summary>
/// With a management port: 404 for its endpoints on the REST port and for REST endpoints on it. Told apart by
/// the port the connection reached, never the <c>Host</c> header, which a client chooses.
/// </summary>
internal sealed class ManagementPortMiddleware(RequestDelegate next, IOptions<ManagementOptions> options)
{
    private readonly IReadOnlySet<int> _ports = options.Value.Ports;

    public Task InvokeAsync(HttpContext context)
    {
        var onManagementPort = _ports.Contains(context.Connection.LocalPort);
        var management = context.GetEndpoint()?.Metadata.GetMetadata<ManagementEndpoint>();
        var served = management switch
        {
            null => !onManagementPort,
            { AlsoOnRestPort: true } => true,
            _ => onManagementPort,
        };
        if (served) return next(context);
        context.SetEndpoint(null);
        context.Response.StatusCode = StatusCodes.Status404NotFound;
        return Task.CompletedTask;
    }
}
