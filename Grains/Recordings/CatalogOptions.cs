using Focus.Grains.Hosting;
using Microsoft.Extensions.Options;
using MongoDB.Driver;
using Npgsql;

namespace Focus.Grains.Recordings;

/// <summary><c>Focus:Catalog</c>: where the list of recordings is kept, and how long its database may take.</summary>
public sealed class CatalogOptions
{
    public const string Section = "Focus:Catalog";

    /// <summary>The longest a historic /configure may wait for its answer, whatever the database does (issue 18).</summary>
    public static readonly TimeSpan AnswerWithin = TimeSpan.FromSeconds(5);

    /// <summary><c>folder</c> (the storage folder itself), <c>postgres</c> or <c>mongo</c>.</summary>
    public CatalogKind Kind { get; set; } = CatalogKind.Folder;

    /// <summary>Npgsql connection string (postgres) or MongoDB URI (mongo).</summary>
    public string ConnectionString { get; set; } = "";

    /// <summary>How often the folder back end rescans storage besides watching it (a new file shows within this).</summary>
    public TimeSpan RescanInterval { get; set; } = TimeSpan.FromSeconds(2);

    /// <summary>
    /// postgres/mongo: one call to the database (connecting included) may take this long; a slower one is a timeout
    /// and the catalog is unavailable (503). Also the drivers' own connect, command, server-selection and socket
    /// timeouts (whatever the connection string says).
    /// </summary>
    public TimeSpan Timeout { get; set; } = TimeSpan.FromSeconds(2);

    /// <summary>
    /// postgres/mongo circuit breaker (Polly's): the circuit opens when, within the last <see cref="BreakSamplingDuration"/>,
    /// at least <see cref="BreakMinimumCalls"/> calls were made and at least this share of them failed (timeouts included).
    /// </summary>
    public double BreakFailureRatio { get; set; } = 0.5;

    public int BreakMinimumCalls { get; set; } = 3;

    public TimeSpan BreakSamplingDuration { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>postgres/mongo: while the circuit is open, calls fail at once (503, <c>Retry-After</c> the time left) for this long.</summary>
    public TimeSpan BreakDuration { get; set; } = TimeSpan.FromSeconds(5);
}

internal sealed class CatalogOptionsValidator : IValidateOptions<CatalogOptions>
{
    public ValidateOptionsResult Validate(string? name, CatalogOptions o)
    {
        const string s = CatalogOptions.Section;
        var errors = new List<string>();
        if (ConfigEnum.Problem($"{s}:Kind", o.Kind) is { } kind)
            errors.Add(kind);
        else if (o.Kind != CatalogKind.Folder && string.IsNullOrWhiteSpace(o.ConnectionString))
            errors.Add($"{s}:ConnectionString is empty; {ConfigEnum.Name(o.Kind)} needs one.");
        else if (o.Kind != CatalogKind.Folder && ConnectionStringProblem(o.Kind, o.ConnectionString) is { } problem)
            errors.Add($"{s}:ConnectionString is not a {(o.Kind == CatalogKind.Mongo ? "MongoDB URI" : "Npgsql connection string")}: {problem}");
        if (o.RescanInterval <= TimeSpan.Zero || o.RescanInterval > TimeSpan.FromSeconds(5))
            errors.Add($"{s}:RescanInterval is {o.RescanInterval}; use a positive time of at most 5 s (a new file must show within 5 s).");
        // A /configure asks the catalog once before it can refuse; the rest of the 5 s is the call's own way there and back.
        var maxTimeout = CatalogOptions.AnswerWithin - TimeSpan.FromSeconds(1);
        if (o.Timeout < TimeSpan.FromMilliseconds(100) || o.Timeout > maxTimeout)
            errors.Add($"{s}:Timeout is {o.Timeout}; use 00:00:00.1 to {maxTimeout} (a historic /configure must answer within {CatalogOptions.AnswerWithin.TotalSeconds:0} s, 503 when the database does not).");
        if (!(o.BreakFailureRatio is > 0 and <= 1))
            errors.Add($"{s}:BreakFailureRatio is {o.BreakFailureRatio}; use a share above 0 and at most 1.");
        if (o.BreakMinimumCalls is < 2 or > 1000)
            errors.Add($"{s}:BreakMinimumCalls is {o.BreakMinimumCalls}; use 2 to 1000.");
        if (o.BreakSamplingDuration < TimeSpan.FromMilliseconds(500) || o.BreakSamplingDuration > TimeSpan.FromMinutes(5))
            errors.Add($"{s}:BreakSamplingDuration is {o.BreakSamplingDuration}; use 00:00:00.5 to 00:05:00.");
        if (o.BreakDuration < TimeSpan.FromMilliseconds(500) || o.BreakDuration > TimeSpan.FromMinutes(5))
            errors.Add($"{s}:BreakDuration is {o.BreakDuration}; use 00:00:00.5 to 00:05:00.");
        return errors.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(errors);
    }

    /// <summary>Why the connection string cannot be parsed (nothing is connected to), or null.</summary>
    private static string? ConnectionStringProblem(CatalogKind kind, string connectionString)
    {
        try
        {
            if (kind == CatalogKind.Mongo) _ = MongoUrl.Create(connectionString);
            else _ = new NpgsqlConnectionStringBuilder(connectionString).Host ?? throw new ArgumentException("it names no Host");
            return null;
        }
        catch (Exception ex) when (ex is ArgumentException or FormatException or MongoConfigurationException)
        {
            return ex.Message;
        }
    }
}
