using Microsoft.Extensions.Options;

namespace Focus.Grains.Analyzers;

internal sealed class SiloPlacementOptionsValidator : IValidateOptions<SiloPlacementOptions>
{
    public ValidateOptionsResult Validate(string? name, SiloPlacementOptions o)
    {
        var errors = new List<string>();
        var section = SiloPlacementOptions.Section;
        if (o.Placement is not (SiloPlacementOptions.Balanced or SiloPlacementOptions.Orleans))
            errors.Add($"{section}:Placement is '{o.Placement}'; use balanced or orleans.");
        if (o.MaxJobsPerSilo < 0)
            errors.Add($"{section}:MaxJobsPerSilo is {o.MaxJobsPerSilo}; use 0 (no limit of its own) or more.");
        return errors.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(errors);
    }
}
