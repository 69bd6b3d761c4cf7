using Microsoft.Extensions.Options;

namespace Focus.Grains.Recordings;

/// <summary><c>Focus:Catalog</c>: where the list of recordings is kept.</summary>
public sealed class CatalogOptions
{
    public const string Section = "Focus:Catalog";

    /// <summary><c>folder</c> (the storage folder itself), <c>postgres</c> or <c>mongo</c>.</summary>
    public string Kind { get; set; } = "folder";

    /// <summary>Npgsql connection string (postgres) or MongoDB URI (mongo).</summary>
    public string ConnectionString { get; set; } = "";

    /// <summary>How often the folder back end rescans storage besides watching it (a new file shows within this).</summary>
    public TimeSpan RescanInterval { get; set; } = TimeSpan.FromSeconds(2);
}

internal sealed class CatalogOptionsValidator : IValidateOptions<CatalogOptions>
{
    public ValidateOptionsResult Validate(string? name, CatalogOptions o)
    {
        const string s = CatalogOptions.Section;
        var errors = new List<string>();
        if (o.Kind is not ("folder" or "postgres" or "mongo"))
            errors.Add($"{s}:Kind is '{o.Kind}'; use folder, postgres or mongo.");
        else if (o.Kind != "folder" && string.IsNullOrWhiteSpace(o.ConnectionString))
            errors.Add($"{s}:ConnectionString is empty; {o.Kind} needs one.");
        if (o.RescanInterval <= TimeSpan.Zero || o.RescanInterval > TimeSpan.FromSeconds(5))
            errors.Add($"{s}:RescanInterval is {o.RescanInterval}; use a positive time of at most 5 s (a new file must show within 5 s).");
        return errors.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(errors);
    }
}
