using Microsoft.Extensions.Options;

namespace Focus.Gateway.Management;

internal sealed class ManagementOptionsValidator : IValidateOptions<ManagementOptions>
{
    public ValidateOptionsResult Validate(string? name, ManagementOptions options)
    {
        var errors = new List<string>();
        var urls = options.Urls.Split(';', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        if (urls.Length != options.ParsedUrls.Count)
            errors.Add($"{ManagementOptions.Section}:Urls is '{options.Urls}'; use absolute URLs such as http://0.0.0.0:9464, separated by ';'.");
        foreach (var url in options.ParsedUrls.Where(u => u.Scheme is not ("http" or "https") || u.IsDefaultPort || u.Port == 0))
            errors.Add($"{ManagementOptions.Section}:Urls has '{url}'; use http or https with an explicit port other than 0 (the port tells management requests apart).");
        return errors.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(errors);
    }
}
