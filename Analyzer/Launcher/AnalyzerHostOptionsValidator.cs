using Focus.Grains.Hosting;
using Microsoft.Extensions.Options;

namespace Focus.Analyzer.Launcher;

internal sealed class AnalyzerHostOptionsValidator : IValidateOptions<AnalyzerHostOptions>
{
    private static readonly TimeSpan MaxRestartDelay = TimeSpan.FromMinutes(1);

    public ValidateOptionsResult Validate(string? name, AnalyzerHostOptions o)
    {
        var s = AnalyzerHostOptions.Section;
        var errors = new List<string>();
        if (ConfigEnum.Problem($"{s}:Host", o.Host) is { } host) errors.Add(host);
        if (o.IsProcess && !File.Exists(o.ResolvedProcessPath))
            errors.Add($"{s}:ProcessPath is '{o.ProcessPath}'; {o.ResolvedProcessPath} does not exist (give Focus.Analyzer.dll or its executable).");
        if (o.SpareProcesses is < 0 or > 16)
            errors.Add($"{s}:SpareProcesses is {o.SpareProcesses}; use 0..16 (0: no spare).");
        if (o.MaxRestarts is < 0 or > 100)
            errors.Add($"{s}:MaxRestarts is {o.MaxRestarts}; use 0..100.");
        if (o.RestartDelay < TimeSpan.Zero || o.RestartDelay > MaxRestartDelay)
            errors.Add($"{s}:RestartDelay is {o.RestartDelay}; use 00:00:00..00:01:00.");
        if (o.StartTimeout <= TimeSpan.Zero)
            errors.Add($"{s}:StartTimeout is {o.StartTimeout}; use a positive time.");
        if (o.HealthTimeout < TimeSpan.FromSeconds(1))
            errors.Add($"{s}:HealthTimeout is {o.HealthTimeout}; use 00:00:01 or more (a process reports 4 times a second).");
        if (o.StopTimeout <= TimeSpan.Zero)
            errors.Add($"{s}:StopTimeout is {o.StopTimeout}; use a positive time.");
        return errors.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(errors);
    }
}
