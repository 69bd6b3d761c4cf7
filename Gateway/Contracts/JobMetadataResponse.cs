using System.Text.Json.Serialization;

namespace Focus.Gateway.Contracts;

/// <summary>GET /metadata/{job_id} and DELETE /job/{job_id}: the /configure answer plus the job's life.</summary>
public sealed record JobMetadataResponse : ConfigureResponse
{
    [JsonPropertyName("state")] public required string State { get; init; }
    [JsonPropertyName("state_changes")] public required IReadOnlyList<StateChange> StateChanges { get; init; }
    [JsonPropertyName("request")] public required ConfigureRequestDocument Request { get; init; }
    [JsonPropertyName("resources")] public required ResourcesDocument? Resources { get; init; }
    [JsonPropertyName("connected_clients")] public required int ConnectedClients { get; init; }
    [JsonPropertyName("lines_emitted")] public required long LinesEmitted { get; init; }
    [JsonPropertyName("gaps")] public required long Gaps { get; init; }
    [JsonPropertyName("dropped_lines")] public required long DroppedLines { get; init; }
    [JsonPropertyName("first_line_at")] public required string? FirstLineAt { get; init; }
    [JsonPropertyName("last_read_at")] public required string? LastReadAt { get; init; }
    [JsonPropertyName("failure_reason")] public required string? FailureReason { get; init; }
    [JsonPropertyName("correlation_id")] public required string? CorrelationIdValue { get; init; }
}

public sealed record StateChange(
    [property: JsonPropertyName("state")] string State,
    [property: JsonPropertyName("at")] string At);

public sealed record ResourcesDocument(
    [property: JsonPropertyName("stream_host")] string StreamHost,
    [property: JsonPropertyName("stream_port")] int StreamPort,
    [property: JsonPropertyName("silo")] string Silo,
    [property: JsonPropertyName("estimated_memory_bytes")] long EstimatedMemoryBytes,
    [property: JsonPropertyName("estimated_cpu_cores")] double EstimatedCpuCores,
    [property: JsonPropertyName("queue")] string? Queue);
