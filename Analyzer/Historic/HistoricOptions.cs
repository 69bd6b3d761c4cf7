using Microsoft.Extensions.Options;

namespace Focus.Analyzer.Historic;

/// <summary><c>Focus:Historic</c>: how windows are played back.</summary>
public sealed class HistoricOptions
{
    public const string Section = "Focus:Historic";

    /// <summary>false: as fast as the client reads; true: at wall-clock speed (a minute of window takes a minute).</summary>
    public bool Pace { get; set; }

    /// <summary>
    /// Playbacks of the window one job runs at once. Each replay reads and computes the whole window again, so beyond
    /// this a call that cannot join a playback about to start is refused with RESOURCE_EXHAUSTED; calls that arrive
    /// together (a client opening every stream) share one playback and count once.
    /// </summary>
    public int MaxConcurrentReplays { get; set; } = 4;
}

internal sealed class HistoricOptionsValidator : IValidateOptions<HistoricOptions>
{
    public ValidateOptionsResult Validate(string? name, HistoricOptions options) =>
        options.MaxConcurrentReplays is >= 1 and <= 1000
            ? ValidateOptionsResult.Success
            : ValidateOptionsResult.Fail($"{HistoricOptions.Section}:MaxConcurrentReplays is {options.MaxConcurrentReplays}; use 1 to 1000 playbacks per job.");
}
