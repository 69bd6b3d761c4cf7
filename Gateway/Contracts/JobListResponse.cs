using System.Text.Json.Serialization;

namespace Focus.Gateway.Contracts;

/// <summary>GET /jobs: the operator's view of active jobs.</summary>
public sealed record JobListResponse([property: JsonPropertyName("jobs")] IReadOnlyList<JobListRow> Jobs);

public sealed record JobListRow(
    [property: JsonPropertyName("job_id")] string JobId,
    [property: JsonPropertyName("state")] string State,
    [property: JsonPropertyName("mode")] string Mode,
    [property: JsonPropertyName("silo")] string? Silo,
    [property: JsonPropertyName("stream_port")] int? StreamPort,
    [property: JsonPropertyName("age_seconds")] double AgeSeconds,
    [property: JsonPropertyName("created_at")] string CreatedAt,
    [property: JsonPropertyName("owner"), JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] string? Owner = null);
