using Microsoft.Extensions.Options;

namespace Focus.Gateway.Hosting;

internal sealed class GatewayClusterOptionsValidator : IValidateOptions<GatewayClusterOptions>
{
    public ValidateOptionsResult Validate(string? name, GatewayClusterOptions o)
    {
        var errors = new List<string>();
        var section = GatewayClusterOptions.Section;
        if (o.Kind is not ("localhost" or "adonet"))
            errors.Add($"{section}:Kind is '{o.Kind}'; use localhost or adonet.");
        if (o.Kind == "adonet" && string.IsNullOrWhiteSpace(o.ConnectionString))
            errors.Add($"{section}:ConnectionString is empty; adonet needs the cluster's PostgreSQL connection string.");
        if (o.GatewayPort is < 1 or > 65535) errors.Add($"{section}:GatewayPort is {o.GatewayPort}; use a port 1-65535.");
        if (string.IsNullOrWhiteSpace(o.ClusterId)) errors.Add($"{section}:ClusterId is empty.");
        if (string.IsNullOrWhiteSpace(o.ServiceId)) errors.Add($"{section}:ServiceId is empty.");
        if (o.ResponseTimeout < TimeSpan.FromSeconds(1)) errors.Add($"{section}:ResponseTimeout is {o.ResponseTimeout}; use at least 00:00:01.");
        if (o.GatewayListRefreshPeriod < TimeSpan.FromSeconds(1)) errors.Add($"{section}:GatewayListRefreshPeriod is {o.GatewayListRefreshPeriod}; use at least 00:00:01.");
        return errors.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(errors);
    }
}
