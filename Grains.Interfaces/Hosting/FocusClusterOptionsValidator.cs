using Microsoft.Extensions.Options;

namespace Focus.Grains.Hosting;

/// <summary>The one validator of <c>Focus:Cluster</c>: the shared keys, then the reader's own.</summary>
public sealed class FocusClusterOptionsValidator<TOptions> : IValidateOptions<TOptions> where TOptions : FocusClusterOptions
{
    public ValidateOptionsResult Validate(string? name, TOptions o)
    {
        var errors = new List<string>();
        var section = FocusClusterOptions.Section;
        if (ConfigEnum.Problem($"{section}:Kind", o.Kind) is { } kind) errors.Add(kind);
        if (o.IsAdoNet && string.IsNullOrWhiteSpace(o.ConnectionString))
            errors.Add($"{section}:ConnectionString is empty; adonet needs a PostgreSQL connection string (Host=...;Database=...;Username=...;Password=...).");
        if (o.GatewayPort is < 1 or > 65535) errors.Add($"{section}:GatewayPort is {o.GatewayPort}; use a port 1-65535.");
        if (string.IsNullOrWhiteSpace(o.ClusterId)) errors.Add($"{section}:ClusterId is empty.");
        if (string.IsNullOrWhiteSpace(o.ServiceId)) errors.Add($"{section}:ServiceId is empty.");
        if (o.ResponseTimeout < TimeSpan.FromSeconds(1)) errors.Add($"{section}:ResponseTimeout is {o.ResponseTimeout}; use at least 00:00:01.");
        errors.AddRange(o.OwnKeyErrors());
        return errors.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(errors);
    }
}
