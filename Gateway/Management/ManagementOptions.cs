namespace Focus.Gateway.Management;

/// <summary>
/// <c>Focus:Management</c>: a port of its own for what only operators and scrapers need (the dashboard,
/// <c>/metrics</c>), so the REST port can face analysts while this one stays inside the site.
/// </summary>
public sealed class ManagementOptions
{
    public const string Section = "Focus:Management";

    /// <summary><c>;</c>-separated URLs with explicit ports, e.g. <c>http://0.0.0.0:9464</c>; empty: served on the REST port.</summary>
    public string Urls { get; set; } = "";

    public IReadOnlyList<Uri> ParsedUrls =>
        Urls.Split(';', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
            .Select(u => Uri.TryCreate(u.Replace("://*", "://0.0.0.0").Replace("://+", "://0.0.0.0"), UriKind.Absolute, out var uri) ? uri : null)
            .OfType<Uri>().ToList();

    public IReadOnlySet<int> Ports => ParsedUrls.Select(u => u.Port).ToHashSet();
}
