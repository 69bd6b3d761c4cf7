using System.ComponentModel;
using System.Text.Json.Serialization;
using Focus.Grains.Time;
using static Focus.Grains.Jobs.ConfigureRules;

namespace Focus.Gateway.Contracts;

/// <summary>
/// The wire shape of a /configure body, for OpenAPI (schema <c>ConfigureRequest</c>) and for echoing a
/// job's request in /metadata. Parsing does not go through this type: the shared
/// <c>ConfigureRequestParser</c> reads the JSON so that every bad field is reported by name. The JSON names are
/// <c>ConfigureRules</c>' (and <see cref="TimeWindow"/>'s), so parser, errors and schema cannot drift apart.
/// </summary>
public sealed record ConfigureRequestDocument
{
    [JsonPropertyName(ViewTypeField), Description("0 = MULTICHANNEL, 1 = SINGLECHANNEL, 2 = WATERFALL")]
    public required int ViewType { get; init; }

    [JsonPropertyName(DisplayInfoField)] public required DisplayInfoDocument DisplayInfo { get; init; }
    [JsonPropertyName(ChannelsField)] public required RangeDocument<int> Channels { get; init; }

    [JsonPropertyName(NfftField), Description("Power of two 128..65536 (default 1024); WATERFALL: absent or 1")]
    public int? NfftSelection { get; init; }

    [JsonPropertyName(DurationField), Description("Seconds on the time axis, 0 < d <= 3600 (default 30); WATERFALL: absent")]
    public double? DisplayTimeAxisDuration { get; init; }

    [JsonPropertyName(FrequencyRangeField), Description("Hz, default [0, prr/2]; WATERFALL: absent")]
    public OptionalRangeDocument? FrequencyRange { get; init; }

    [JsonPropertyName(TimeWindow.StartField), Description("Historic: epoch seconds or yymmddHHMMSS UTC; null for live")]
    public long? StartTime { get; init; }

    [JsonPropertyName(TimeWindow.EndField), Description("Historic: epoch seconds or yymmddHHMMSS UTC; null for live")]
    public long? EndTime { get; init; }
}

public sealed record DisplayInfoDocument([property: JsonPropertyName(HeightName)] int Height);

public sealed record RangeDocument<T>([property: JsonPropertyName(MinName)] T Min, [property: JsonPropertyName(MaxName)] T Max);

public sealed record OptionalRangeDocument(
    [property: JsonPropertyName(MinName)] double? Min,
    [property: JsonPropertyName(MaxName)] double? Max);
