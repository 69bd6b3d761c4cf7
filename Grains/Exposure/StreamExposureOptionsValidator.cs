using Microsoft.Extensions.Options;

namespace Focus.Grains.Exposure;

internal sealed class StreamExposureOptionsValidator : IValidateOptions<StreamExposureOptions>
{
    public ValidateOptionsResult Validate(string? name, StreamExposureOptions options) =>
        options.Exposure is StreamExposureOptions.Direct or StreamExposureOptions.Kubernetes
            ? ValidateOptionsResult.Success
            : ValidateOptionsResult.Fail(
                $"{StreamExposureOptions.Section}:Exposure is '{options.Exposure}'; use '{StreamExposureOptions.Direct}' or '{StreamExposureOptions.Kubernetes}'.");
}
