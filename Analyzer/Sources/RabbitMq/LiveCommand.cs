using System.Text.Json;

namespace Focus.Analyzer.Sources.RabbitMq;

public enum LiveCommandType { Keepalive, RegionOfInterest, Caxis, Colormap }

/// <summary>
/// A command to a running analyzer on <c>baby_analyzer.commands.{job}</c> (CONTRACT §3):
/// <c>{"type": "KeepaliveCommand", "value": {"source": "..."}}</c> and its siblings. <see cref="Parse"/> never throws:
/// an unknown or malformed command comes back with its <see cref="Problem"/>.
/// </summary>
public sealed record LiveCommand(LiveCommandType Type, int Start = 0, int End = 0, double Min = 0, double Max = 0, string? Text = null)
{
    public string? Problem { get; init; }

    public static readonly IReadOnlyList<string> Colormaps = ["parula", "grayscale", "jet"];

    public static LiveCommand Parse(ReadOnlySpan<byte> json)
    {
        try
        {
            var reader = new Utf8JsonReader(json, new JsonReaderOptions { MaxDepth = 8 });
            using var document = JsonDocument.ParseValue(ref reader);
            var root = document.RootElement;
            if (root.ValueKind != JsonValueKind.Object) return Malformed("not a JSON object");
            if (!root.TryGetProperty("type", out var type) || type.ValueKind != JsonValueKind.String) return Malformed("no string \"type\"");
            root.TryGetProperty("value", out var value);
            return type.GetString() switch
            {
                "KeepaliveCommand" => value.ValueKind == JsonValueKind.Object
                                      && value.TryGetProperty("source", out var source) && source.ValueKind == JsonValueKind.String
                    ? new LiveCommand(LiveCommandType.Keepalive, Text: source.GetString())
                    : Malformed("KeepaliveCommand needs value.source (a string)"),
                "RegionOfInterestCommand" => Channel(value, "start") is { } start && Channel(value, "end") is { } end
                    ? start <= end
                        ? new LiveCommand(LiveCommandType.RegionOfInterest, Start: start, End: end)
                        : Malformed($"RegionOfInterestCommand start {start} > end {end}")
                    : Malformed("RegionOfInterestCommand needs value.start and value.end (channels, whole numbers >= 1)"),
                "CaxisCommand" => Number(value, "min") is { } min && Number(value, "max") is { } max && min < max
                    ? new LiveCommand(LiveCommandType.Caxis, Min: min, Max: max)
                    : Malformed("CaxisCommand needs value.min < value.max (numbers)"),
                "ColormapCommand" => value.ValueKind == JsonValueKind.String && Colormaps.Contains(value.GetString())
                    ? new LiveCommand(LiveCommandType.Colormap, Text: value.GetString())
                    : Malformed($"ColormapCommand value must be one of {string.Join(", ", Colormaps)}"),
                var other => Malformed($"unknown command type '{Truncate(other)}'"),
            };
        }
        catch (JsonException ex)
        {
            return Malformed($"not JSON: {ex.Message}");
        }
    }

    private static LiveCommand Malformed(string problem) => new(LiveCommandType.Keepalive) { Problem = problem };

    private static int? Channel(JsonElement value, string name) =>
        value.ValueKind == JsonValueKind.Object && value.TryGetProperty(name, out var p) && p.ValueKind == JsonValueKind.Number
        && p.TryGetDouble(out var d) && d == Math.Floor(d) && d >= 1 && d <= int.MaxValue
            ? (int)d
            : null;

    private static double? Number(JsonElement value, string name) =>
        value.ValueKind == JsonValueKind.Object && value.TryGetProperty(name, out var p) && p.ValueKind == JsonValueKind.Number
        && p.TryGetDouble(out var d) && double.IsFinite(d)
            ? d
            : null;

    private static string Truncate(string? s) => s is null ? "" : s.Length <= 64 ? s : s[..64];
}
