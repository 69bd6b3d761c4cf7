using Focus.Analyzer.Launcher;

namespace Focus.UnitTests.Launcher;

public sealed class AnalyzerHostOptionsValidatorTests
{
    private static readonly AnalyzerHostOptionsValidator Validator = new();

    [Fact]
    public void The_defaults_are_valid_and_run_jobs_in_the_silo()
    {
        var options = new AnalyzerHostOptions();
        Assert.True(Validator.Validate(null, options).Succeeded);
        Assert.False(options.IsProcess);
    }

    [Fact]
    public void Process_mode_finds_the_analyzer_beside_the_assemblies()
    {
        var options = new AnalyzerHostOptions { Host = AnalyzerHostKind.Process };
        Assert.Equal(Path.Combine(AppContext.BaseDirectory, "Focus.Analyzer.dll"), options.ResolvedProcessPath);
        Assert.True(File.Exists(Path.Combine(AppContext.BaseDirectory, "Focus.Analyzer.runtimeconfig.json")), "the analyzer is not runnable from here");
        Assert.True(Validator.Validate(null, options).Succeeded);
    }

    [Theory]
    [InlineData("Host", "7", "Focus:Analyzer:Host is '7'; use grain or process.")]
    [InlineData("ProcessPath", "/nowhere/Focus.Analyzer.dll", "Focus:Analyzer:ProcessPath is '/nowhere/Focus.Analyzer.dll'")]
    [InlineData("SpareProcesses", "-1", "Focus:Analyzer:SpareProcesses is -1")]
    [InlineData("SpareProcesses", "17", "Focus:Analyzer:SpareProcesses is 17")]
    [InlineData("MaxRestarts", "-1", "Focus:Analyzer:MaxRestarts is -1")]
    [InlineData("MaxRestarts", "101", "Focus:Analyzer:MaxRestarts is 101")]
    [InlineData("RestartDelay", "-00:00:01", "Focus:Analyzer:RestartDelay is -00:00:01")]
    [InlineData("RestartDelay", "00:05:00", "Focus:Analyzer:RestartDelay is 00:05:00")]
    [InlineData("StartTimeout", "00:00:00", "Focus:Analyzer:StartTimeout is 00:00:00")]
    [InlineData("HealthTimeout", "00:00:00.500", "Focus:Analyzer:HealthTimeout is 00:00:00.5000000")]
    [InlineData("StopTimeout", "-00:00:01", "Focus:Analyzer:StopTimeout is -00:00:01")]
    public void A_bad_setting_is_refused_naming_its_key(string key, string value, string message)
    {
        var options = new AnalyzerHostOptions { Host = AnalyzerHostKind.Process };
        switch (key)
        {
            case "Host": options.Host = (AnalyzerHostKind)int.Parse(value, System.Globalization.CultureInfo.InvariantCulture); break;
            case "ProcessPath": options.ProcessPath = value; break;
            case "SpareProcesses": options.SpareProcesses = int.Parse(value, System.Globalization.CultureInfo.InvariantCulture); break;
            case "MaxRestarts": options.MaxRestarts = int.Parse(value, System.Globalization.CultureInfo.InvariantCulture); break;
            case "RestartDelay": options.RestartDelay = TimeSpan.Parse(value, System.Globalization.CultureInfo.InvariantCulture); break;
            case "StartTimeout": options.StartTimeout = TimeSpan.Parse(value, System.Globalization.CultureInfo.InvariantCulture); break;
            case "HealthTimeout": options.HealthTimeout = TimeSpan.Parse(value, System.Globalization.CultureInfo.InvariantCulture); break;
            case "StopTimeout": options.StopTimeout = TimeSpan.Parse(value, System.Globalization.CultureInfo.InvariantCulture); break;
        }
        var result = Validator.Validate(null, options);
        Assert.True(result.Failed);
        Assert.Contains(result.Failures!, f => f.StartsWith(message, StringComparison.Ordinal));
    }

    [Fact]
    public void Every_bad_setting_is_reported_at_once()
    {
        var result = Validator.Validate(null, new AnalyzerHostOptions { Host = (AnalyzerHostKind)7, MaxRestarts = -1, StopTimeout = TimeSpan.Zero });
        Assert.Equal(3, result.Failures!.Count());
    }

    [Fact]
    public void A_missing_analyzer_does_not_matter_in_grain_mode()
    {
        Assert.True(Validator.Validate(null, new AnalyzerHostOptions { ProcessPath = "/nowhere/Focus.Analyzer.dll" }).Succeeded);
    }
}
