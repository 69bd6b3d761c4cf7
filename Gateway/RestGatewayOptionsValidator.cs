using Microsoft.Extensions.Options;

namespace Focus.Gateway;

internal sealed class RestGatewayOptionsValidator : IValidateOptions<RestGatewayOptions>
{
    public ValidateOptionsResult Validate(string? name, RestGatewayOptions options)
    {
        var errors = new List<string>();
        if (options.PathBase.Length > 0 && (!options.PathBase.StartsWith('/') || options.PathBase.EndsWith('/')))
            errors.Add($"{RestGatewayOptions.Section}:PathBase is '{options.PathBase}'; use a path such as /focus-server (leading slash, no trailing slash) or leave it empty.");
        if (options.CorsOrigins.Length == 0)
            errors.Add($"{RestGatewayOptions.Section}:CorsOrigins is empty; use * or a list of origins.");
        if (options.MaxRequestBodyBytes < 1024)
            errors.Add($"{RestGatewayOptions.Section}:MaxRequestBodyBytes is {options.MaxRequestBodyBytes}; use 1024 or more.");
        return errors.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(errors);
    }
}
