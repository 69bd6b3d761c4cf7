using System.Text.Json.Serialization;

namespace Focus.Gateway.Contracts;

/// <summary>The 200 body of POST /configure, field for field the production shape.</summary>
public record ConfigureResponse
{
    [JsonPropertyName("status")] public required string Status { get; init; }
    [JsonPropertyName("job_id")] public required string JobId { get; init; }
    [JsonPropertyName("stream_url")] public required string? StreamUrl { get; init; }
    [JsonPropertyName("stream_port")] public required int? StreamPort { get; init; }
    [JsonPropertyName("view_type")] public required int ViewType { get; init; }
    [JsonPropertyName("channel_amount")] public required int ChannelAmount { get; init; }
    [JsonPropertyName("stream_amount")] public required int StreamAmount { get; init; }
    [JsonPropertyName("channel_to_stream_index")] public required IReadOnlyDictionary<string, int> ChannelToStreamIndex { get; init; }
    [JsonPropertyName("frequencies_list")] public required IReadOnlyList<double> FrequenciesList { get; init; }
    [JsonPropertyName("frequencies_amount")] public required int FrequenciesAmount { get; init; }
    [JsonPropertyName("lines_dt")] public required double LinesDt { get; init; }
    [JsonPropertyName("internal_nfft")] public required int InternalNfft { get; init; }
    [JsonPropertyName("metadata")] public required ResponseFiber Metadata { get; init; }
    [JsonPropertyName("mode")] public required string Mode { get; init; }
    [JsonPropertyName("created_at")] public required string CreatedAt { get; init; }

    /// <summary>With auth on: the identity that configured the job. Absent with auth off (the production shape).</summary>
    [JsonPropertyName("owner"), JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] public string? Owner { get; init; }

    /// <summary>With auth on: what the job's port wants as <c>authorization: Bearer …</c>. Absent with auth off.</summary>
    [JsonPropertyName("stream_token"), JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] public string? StreamToken { get; init; }

    /// <summary><c>true</c> when the job's port serves TLS; absent when it is cleartext (the production shape).</summary>
    [JsonPropertyName("stream_tls"), JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] public bool? StreamTls { get; init; }
}

public sealed record ResponseFiber(
    [property: JsonPropertyName("prr")] double Prr,
    [property: JsonPropertyName("dx")] double Dx,
    [property: JsonPropertyName("number_of_channels")] int NumberOfChannels);
