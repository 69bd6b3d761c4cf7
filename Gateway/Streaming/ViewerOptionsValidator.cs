using Microsoft.Extensions.Options;

namespace Focus.Gateway.Streaming;

internal sealed class ViewerOptionsValidator : IValidateOptions<ViewerOptions>
{
    public ValidateOptionsResult Validate(string? name, ViewerOptions options)
    {
        var errors = new List<string>();
        if (options.RelayBufferMessages is < 1 or > 100_000)
            errors.Add($"{ViewerOptions.Section}:RelayBufferMessages is {options.RelayBufferMessages}; use 1 to 100000.");
        if (options.RelayConnectTimeout <= TimeSpan.Zero)
            errors.Add($"{ViewerOptions.Section}:RelayConnectTimeout is {options.RelayConnectTimeout}; use a positive time.");
        if (options.StreamCaPath.Length > 0 && !File.Exists(options.StreamCaPath))
            errors.Add($"{ViewerOptions.Section}:StreamCaPath is '{options.StreamCaPath}', which is not a file.");
        return errors.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(errors);
    }
}
