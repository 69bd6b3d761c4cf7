using System.Text.Json.Serialization;
using Focus.Grains.Fiber;

namespace Focus.Gateway.Contracts;

public sealed record ChannelsResponse(
    [property: JsonPropertyName("lowest_channel")] int LowestChannel,
    [property: JsonPropertyName("highest_channel")] int HighestChannel);

public sealed record SensorsResponse(
    [property: JsonPropertyName("sensors")] IReadOnlyList<int> Sensors,
    [property: JsonPropertyName("positions_m")] IReadOnlyList<double> PositionsMeters);

/// <summary>GET /live_metadata: the last Prpcast.Info as production sends it (metres rounded to integers).</summary>
public sealed record LiveMetadataResponse
{
    [JsonPropertyName("prr")] public required double Prr { get; init; }
    [JsonPropertyName("dx")] public required double Dx { get; init; }
    [JsonPropertyName("number_of_channels")] public required int NumberOfChannels { get; init; }
    [JsonPropertyName("fiber_start_meters")] public required long FiberStartMeters { get; init; }
    [JsonPropertyName("fiber_length_meters")] public required long FiberLengthMeters { get; init; }
    [JsonPropertyName("sw_version")] public required string SwVersion { get; init; }
    [JsonPropertyName("fiber_description")] public required string FiberDescription { get; init; }
    [JsonPropertyName("num_samples_per_trace")] public required int NumSamplesPerTrace { get; init; }
    [JsonPropertyName("dtype")] public string Dtype => "float32";
    [JsonPropertyName("interrogator_id")] public required string InterrogatorId { get; init; }
    [JsonPropertyName("received_at")] public required string? ReceivedAt { get; init; }

    public static LiveMetadataResponse From(FiberMetadata f) => new()
    {
        Prr = f.Prr,
        Dx = f.Dx,
        NumberOfChannels = f.NumberOfChannels,
        FiberStartMeters = (long)Math.Round(f.FiberStartMeters, MidpointRounding.AwayFromZero),
        FiberLengthMeters = (long)Math.Round(f.FiberLengthMeters, MidpointRounding.AwayFromZero),
        SwVersion = f.SwVersion,
        FiberDescription = f.FiberDescription,
        NumSamplesPerTrace = f.NumSamplesPerTrace,
        InterrogatorId = f.InterrogatorId,
        ReceivedAt = WireTime.Format(f.ReceivedAt),
    };
}
