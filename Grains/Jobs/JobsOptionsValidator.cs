using Microsoft.Extensions.Options;

namespace Focus.Grains.Jobs;

internal sealed class JobsOptionsValidator : IValidateOptions<JobsOptions>
{
    public ValidateOptionsResult Validate(string? name, JobsOptions options)
    {
        var errors = new List<string>();
        if (options.MaxConcurrent < 1)
            errors.Add($"{JobsOptions.Section}:MaxConcurrent is {options.MaxConcurrent}; use 1 or more.");
        if (options.IdleTimeout <= TimeSpan.Zero)
            errors.Add($"{JobsOptions.Section}:IdleTimeout is {options.IdleTimeout}; use a positive time such as 00:03:00.");
        if (options.IdempotencyWindow <= TimeSpan.Zero)
            errors.Add($"{JobsOptions.Section}:IdempotencyWindow is {options.IdempotencyWindow}; use a positive time.");
        if (options.ProgressInterval <= TimeSpan.Zero || options.ProgressInterval > TimeSpan.FromMinutes(1))
            errors.Add($"{JobsOptions.Section}:ProgressInterval is {options.ProgressInterval}; use a time between 00:00:00.1 and 00:01:00.");
        if (options.Retention <= TimeSpan.Zero)
            errors.Add($"{JobsOptions.Section}:Retention is {options.Retention}; use a positive time such as 01:00:00.");
        if (options.MaxPerClient < 0)
            errors.Add($"{JobsOptions.Section}:MaxPerClient is {options.MaxPerClient}; use 0 (no limit) or more.");
        if (options.ReconcileInterval <= TimeSpan.Zero)
            errors.Add($"{JobsOptions.Section}:ReconcileInterval is {options.ReconcileInterval}; use a positive time such as 00:01:00.");
        return errors.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(errors);
    }
}
