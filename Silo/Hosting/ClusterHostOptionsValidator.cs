using System.Net;
using Microsoft.Extensions.Options;

namespace Focus.Silo.Hosting;

internal sealed class ClusterHostOptionsValidator : IValidateOptions<ClusterHostOptions>
{
    public ValidateOptionsResult Validate(string? name, ClusterHostOptions o)
    {
        var errors = new List<string>();
        var section = ClusterHostOptions.Section;
        if (o.Kind != "localhost")
            errors.Add(o.Kind == "adonet"
                ? $"{section}:Kind is adonet, which this build does not support yet; use localhost."
                : $"{section}:Kind is '{o.Kind}'; use localhost or adonet.");
        if (o.SiloPort is < 1 or > 65535) errors.Add($"{section}:SiloPort is {o.SiloPort}; use a port 1-65535.");
        if (o.GatewayPort is < 1 or > 65535) errors.Add($"{section}:GatewayPort is {o.GatewayPort}; use a port 1-65535.");
        if (o.SiloPort == o.GatewayPort) errors.Add($"{section}:SiloPort and GatewayPort are both {o.SiloPort}; use two ports.");
        if (o.AdvertisedAddress.Length > 0 && !IPAddress.TryParse(o.AdvertisedAddress, out _))
            errors.Add($"{section}:AdvertisedAddress is '{o.AdvertisedAddress}'; use an IP address.");
        if (string.IsNullOrWhiteSpace(o.ClusterId)) errors.Add($"{section}:ClusterId is empty.");
        if (string.IsNullOrWhiteSpace(o.ServiceId)) errors.Add($"{section}:ServiceId is empty.");
        return errors.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(errors);
    }
}
