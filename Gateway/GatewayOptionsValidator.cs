using Microsoft.Extensions.Options;

namespace Focus.Gateway;

internal sealed class GatewayOptionsValidator : IValidateOptions<GatewayOptions>
{
    public ValidateOptionsResult Validate(string? name, GatewayOptions options)
    {
        var errors = new List<string>();
        if (options.PathBase.Length > 0 && (!options.PathBase.StartsWith('/') || options.PathBase.EndsWith('/')))
            errors.Add($"{GatewayOptions.Section}:PathBase is '{options.PathBase}'; use a path such as /focus-server (leading slash, no trailing slash) or leave it empty.");
        if (options.CorsOrigins.Length == 0)
            errors.Add($"{GatewayOptions.Section}:CorsOrigins is empty; use * or a list of origins.");
        if (options.MaxRequestBodyBytes < 1024)
            errors.Add($"{GatewayOptions.Section}:MaxRequestBodyBytes is {options.MaxRequestBodyBytes}; use 1024 or more.");
        if (options.GrainCallTimeout <= TimeSpan.Zero)
            errors.Add($"{GatewayOptions.Section}:GrainCallTimeout is {options.GrainCallTimeout}; use a positive time.");
        return errors.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(errors);
    }
}
