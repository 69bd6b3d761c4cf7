using Focus.Analyzer.Spectral;
using Microsoft.Extensions.Options;

namespace Focus.Analyzer.Hosting;

/// <summary><c>Focus:Analyzer</c>: which spectrogram engine computes the lines.</summary>
public sealed class EngineOptions
{
    public const string Section = "Focus:Analyzer";

    /// <summary><c>simd</c> (default; <c>simd:Vector256</c> etc. caps the width) or <c>reference</c> (the plain C# oracle).</summary>
    public string Engine { get; set; } = "simd";
}

internal sealed class EngineOptionsValidator : IValidateOptions<EngineOptions>
{
    public ValidateOptionsResult Validate(string? name, EngineOptions options)
    {
        try
        {
            SpectrogramEngines.Create(options.Engine ?? "");
            return ValidateOptionsResult.Success;
        }
        catch (ArgumentException ex)
        {
            return ValidateOptionsResult.Fail($"{EngineOptions.Section}:Engine is '{options.Engine}'; {ex.Message}");
        }
    }
}
