using Focus.Grains.Hosting;
using Microsoft.Extensions.Options;

namespace Focus.Grains.Exposure;

internal sealed class StreamExposureOptionsValidator : IValidateOptions<StreamExposureOptions>
{
    public ValidateOptionsResult Validate(string? name, StreamExposureOptions options) =>
        ConfigEnum.Problem($"{StreamExposureOptions.Section}:Exposure", options.Exposure) is { } problem
            ? ValidateOptionsResult.Fail(problem)
            : ValidateOptionsResult.Success;
}
