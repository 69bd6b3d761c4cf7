using Microsoft.Extensions.Options;

namespace Focus.Gateway.RateLimits;

internal sealed class ConfigureRateLimitOptionsValidator : IValidateOptions<ConfigureRateLimitOptions>
{
    public ValidateOptionsResult Validate(string? name, ConfigureRateLimitOptions options)
    {
        const string S = ConfigureRateLimitOptions.Section;
        var errors = new List<string>();
        if (options.TokenLimit < 0) errors.Add($"{S}:TokenLimit is {options.TokenLimit}; use 0 (no limit) or more.");
        if (options.TokensPerPeriod < 1) errors.Add($"{S}:TokensPerPeriod is {options.TokensPerPeriod}; use 1 or more.");
        if (options.ReplenishmentPeriod <= TimeSpan.Zero) errors.Add($"{S}:ReplenishmentPeriod is {options.ReplenishmentPeriod}; use a positive time.");
        return errors.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(errors);
    }
}
