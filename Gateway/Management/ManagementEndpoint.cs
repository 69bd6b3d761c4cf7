using Focus.Gateway.Security;
using Microsoft.AspNetCore.Builder;

namespace Focus.Gateway.Management;

/// <summary>
/// Endpoint metadata: where an endpoint is served once <c>Focus:Management:Urls</c> is set. Endpoints without it
/// are REST endpoints, never served on the management port.
/// </summary>
public sealed record ManagementEndpoint(bool AlsoOnRestPort)
{
    /// <summary>The dashboard and <c>/metrics</c>: the management port only.</summary>
    public static readonly ManagementEndpoint Only = new(false);

    /// <summary>Probes (<c>/ack</c>, <c>/health/*</c>): both ports.</summary>
    public static readonly ManagementEndpoint Probe = new(true);
}

public static class ManagementEndpointExtensions
{
    /// <summary>An operator's endpoint: on the management port when there is one, and the operator role when auth is on.</summary>
    public static TBuilder AsManagement<TBuilder>(this TBuilder builder) where TBuilder : IEndpointConventionBuilder =>
        builder.WithMetadata(ManagementEndpoint.Only).RequireAuthorization(FocusPolicies.Operator);

    /// <summary>A probe: open to anyone, on both ports.</summary>
    public static TBuilder AsProbe<TBuilder>(this TBuilder builder) where TBuilder : IEndpointConventionBuilder =>
        builder.WithMetadata(ManagementEndpoint.Probe).AllowAnonymous();
}
