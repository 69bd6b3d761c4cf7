using Focus.Grains.Hosting;
using Microsoft.Extensions.Options;

namespace Focus.Grains.Analyzers;

internal sealed class SiloPlacementOptionsValidator : IValidateOptions<SiloPlacementOptions>
{
    public ValidateOptionsResult Validate(string? name, SiloPlacementOptions o)
    {
        var errors = new List<string>();
        var section = SiloPlacementOptions.Section;
        if (ConfigEnum.Problem($"{section}:Placement", o.Placement) is { } placement) errors.Add(placement);
        if (o.MaxJobsPerSilo < 0)
            errors.Add($"{section}:MaxJobsPerSilo is {o.MaxJobsPerSilo}; use 0 (no limit of its own) or more.");
        return errors.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(errors);
    }
}
