using Microsoft.Extensions.Options;

namespace Focus.Gateway.Streaming;

internal sealed class ViewerOptionsValidator : IValidateOptions<ViewerOptions>
{
    public ValidateOptionsResult Validate(string? name, ViewerOptions options)
    {
        var errors = new List<string>();
        if (options.RelayBufferMessages is < 1 or > 100_000)
            errors.Add($"{ViewerOptions.Section}:RelayBufferMessages is {options.RelayBufferMessages}; use 1 to 100000.");
        if (options.RelayBufferBytes is < 1024 * 1024 or > 4L * 1024 * 1024 * 1024)
            errors.Add($"{ViewerOptions.Section}:RelayBufferBytes is {options.RelayBufferBytes}; use 1048576 (1 MiB) to 4294967296 (4 GiB).");
        if (options.RelayCallsPerJob is < 1 or > 10_000)
            errors.Add($"{ViewerOptions.Section}:RelayCallsPerJob is {options.RelayCallsPerJob}; use 1 to 10000.");
        if (options.RelayCallsPerClient is < 1 or > 10_000)
            errors.Add($"{ViewerOptions.Section}:RelayCallsPerClient is {options.RelayCallsPerClient}; use 1 to 10000.");
        if (options.RelayConnectTimeout <= TimeSpan.Zero)
            errors.Add($"{ViewerOptions.Section}:RelayConnectTimeout is {options.RelayConnectTimeout}; use a positive time.");
        if (options.StreamCaPath.Length > 0 && !File.Exists(options.StreamCaPath))
            errors.Add($"{ViewerOptions.Section}:StreamCaPath is '{options.StreamCaPath}', which is not a file.");
        return errors.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(errors);
    }
}
