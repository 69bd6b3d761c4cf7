using System.ComponentModel;
using System.Text.Json.Serialization;

namespace Focus.Gateway.Contracts;

/// <summary>
/// The wire shape of a /configure body, for OpenAPI (schema <c>ConfigureRequest</c>) and for echoing a
/// job's request in /metadata. Parsing does not go through this type: the shared
/// <c>ConfigureRequestParser</c> reads the JSON so that every bad field is reported by name.
/// </summary>
public sealed record ConfigureRequestDocument
{
    [JsonPropertyName("view_type"), Description("0 = MULTICHANNEL, 1 = SINGLECHANNEL, 2 = WATERFALL")]
    public required int ViewType { get; init; }

    [JsonPropertyName("displayInfo")] public required DisplayInfoDocument DisplayInfo { get; init; }
    [JsonPropertyName("channels")] public required RangeDocument<int> Channels { get; init; }

    [JsonPropertyName("nfftSelection"), Description("Power of two 128..65536 (default 1024); WATERFALL: absent or 1")]
    public int? NfftSelection { get; init; }

    [JsonPropertyName("displayTimeAxisDuration"), Description("Seconds on the time axis, 0 < d <= 3600 (default 30); WATERFALL: absent")]
    public double? DisplayTimeAxisDuration { get; init; }

    [JsonPropertyName("frequencyRange"), Description("Hz, default [0, prr/2]; WATERFALL: absent")]
    public OptionalRangeDocument? FrequencyRange { get; init; }

    [JsonPropertyName("start_time"), Description("Historic: epoch seconds or yymmddHHMMSS UTC; null for live")]
    public long? StartTime { get; init; }

    [JsonPropertyName("end_time"), Description("Historic: epoch seconds or yymmddHHMMSS UTC; null for live")]
    public long? EndTime { get; init; }
}

public sealed record DisplayInfoDocument([property: JsonPropertyName("height")] int Height);

public sealed record RangeDocument<T>([property: JsonPropertyName("min")] T Min, [property: JsonPropertyName("max")] T Max);

public sealed record OptionalRangeDocument(
    [property: JsonPropertyName("min")] double? Min,
    [property: JsonPropertyName("max")] double? Max);
