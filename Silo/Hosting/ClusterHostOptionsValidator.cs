using System.Net;
using Microsoft.Extensions.Options;

namespace Focus.Silo.Hosting;

internal sealed class ClusterHostOptionsValidator : IValidateOptions<ClusterHostOptions>
{
    public ValidateOptionsResult Validate(string? name, ClusterHostOptions o)
    {
        var errors = new List<string>();
        var section = ClusterHostOptions.Section;
        if (o.Kind is not (ClusterHostOptions.Localhost or ClusterHostOptions.AdoNet))
            errors.Add($"{section}:Kind is '{o.Kind}'; use localhost or adonet.");
        if (o.IsAdoNet && string.IsNullOrWhiteSpace(o.ConnectionString))
            errors.Add($"{section}:ConnectionString is empty; adonet needs a PostgreSQL connection string (Host=...;Database=...;Username=...;Password=...).");
        if (o.SiloPort is < 1 or > 65535) errors.Add($"{section}:SiloPort is {o.SiloPort}; use a port 1-65535.");
        if (o.GatewayPort is < 1 or > 65535) errors.Add($"{section}:GatewayPort is {o.GatewayPort}; use a port 1-65535.");
        if (o.SiloPort == o.GatewayPort) errors.Add($"{section}:SiloPort and GatewayPort are both {o.SiloPort}; use two ports.");
        if (o.AdvertisedAddress.Length > 0 && !IPAddress.TryParse(o.AdvertisedAddress, out _))
            errors.Add($"{section}:AdvertisedAddress is '{o.AdvertisedAddress}'; use an IP address.");
        if (string.IsNullOrWhiteSpace(o.ClusterId)) errors.Add($"{section}:ClusterId is empty.");
        if (string.IsNullOrWhiteSpace(o.ServiceId)) errors.Add($"{section}:ServiceId is empty.");
        if (o.ProbeTimeout < TimeSpan.FromMilliseconds(200) || o.ProbeTimeout > TimeSpan.FromMinutes(1))
            errors.Add($"{section}:ProbeTimeout is {o.ProbeTimeout}; use 00:00:00.2 to 00:01:00.");
        if (o.MissedProbesLimit is < 1 or > 10) errors.Add($"{section}:MissedProbesLimit is {o.MissedProbesLimit}; use 1-10.");
        if (o.ResponseTimeout < TimeSpan.FromSeconds(1)) errors.Add($"{section}:ResponseTimeout is {o.ResponseTimeout}; use at least 00:00:01.");
        return errors.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(errors);
    }
}
