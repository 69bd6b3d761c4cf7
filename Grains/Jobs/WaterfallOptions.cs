using Microsoft.Extensions.Options;

namespace Focus.Grains.Jobs;

/// <summary><c>Focus:Waterfall</c>: the line rate of WATERFALL jobs.</summary>
public sealed class WaterfallOptions
{
    public const string Section = "Focus:Waterfall";

    public double LinesPerSecond { get; set; } = 100;
}

internal sealed class WaterfallOptionsValidator : IValidateOptions<WaterfallOptions>
{
    public ValidateOptionsResult Validate(string? name, WaterfallOptions options) =>
        double.IsFinite(options.LinesPerSecond) && options.LinesPerSecond > 0 && options.LinesPerSecond <= 100_000
            ? ValidateOptionsResult.Success
            : ValidateOptionsResult.Fail($"{WaterfallOptions.Section}:LinesPerSecond is {options.LinesPerSecond}; use a rate above 0 and at most 100000.");
}
