using System.Text.Json.Serialization;

namespace Focus.Gateway.Contracts;

/// <summary>
/// One element of the 201 body of GET /waterfall/{job_id}/{row_count}, production's shape: the lines pulled, oldest
/// first, and the extremes of every value returned. The body is an array holding one of these.
/// </summary>
public sealed record WaterfallPage(
    [property: JsonPropertyName("rows")] IReadOnlyList<WaterfallRow> Rows,
    [property: JsonPropertyName("current_max_amp")] float CurrentMaxAmp,
    [property: JsonPropertyName("current_min_amp")] float CurrentMinAmp);

/// <summary>One line: every channel of it with its values (a spectrum, or WATERFALL's one power value), in dB.</summary>
public sealed record WaterfallRow(
    [property: JsonPropertyName("canvasId")] string CanvasId,
    [property: JsonPropertyName("sensors")] IReadOnlyList<WaterfallSensor> Sensors,
    [property: JsonPropertyName("startTimestamp")] long StartTimestamp,
    [property: JsonPropertyName("endTimestamp")] long EndTimestamp);

public sealed record WaterfallSensor(
    [property: JsonPropertyName("id")] int Id,
    [property: JsonPropertyName("intensity")] ArraySegment<float> Intensity);
