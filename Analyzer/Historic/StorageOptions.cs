using Microsoft.Extensions.Options;

namespace Focus.Analyzer.Historic;

/// <summary><c>Focus:Storage</c>: where recordings are read.</summary>
public sealed class StorageOptions
{
    public const string Section = "Focus:Storage";

    /// <summary>The storage folder; empty: a sample folder the service creates and fills with a generated recording.</summary>
    public string MountPath { get; set; } = "";

    /// <summary>The absolute path of a catalog entry's file (relative paths are under <see cref="MountPath"/>).</summary>
    public string Resolve(string path) => Path.IsPathRooted(path) ? path : Path.GetFullPath(Path.Combine(MountPath, path));
}

internal sealed class StorageOptionsValidator : IValidateOptions<StorageOptions>
{
    public ValidateOptionsResult Validate(string? name, StorageOptions options) =>
        options.MountPath.Length == 0 || Path.IsPathRooted(options.MountPath)
            ? ValidateOptionsResult.Success
            : ValidateOptionsResult.Fail($"{StorageOptions.Section}:MountPath is '{options.MountPath}'; use an absolute path (or leave it empty for the generated sample folder).");
}
