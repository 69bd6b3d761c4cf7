using System.Text.Json;
using System.Text.Json.Nodes;

namespace Focus.UnitTests.Jobs;

/// <summary>Request bodies for the /configure tests: the contract's example, changed by a JSON merge patch.</summary>
internal static class ConfigureBodies
{
    public const string Valid = """
        {
          "displayTimeAxisDuration": 10,
          "nfftSelection": 1024,
          "displayInfo": {"height": 1000},
          "channels": {"min": 1, "max": 50},
          "frequencyRange": {"min": 0, "max": 500},
          "start_time": null,
          "end_time": null,
          "view_type": 0
        }
        """;

    /// <summary>A valid WATERFALL body: no nfftSelection, duration or frequencyRange.</summary>
    public const string ValidWaterfall = """{"view_type": 2, "displayInfo": {"height": 1000}, "channels": {"min": 1, "max": 50}}""";

    /// <summary><see cref="Valid"/> with an RFC 7386 merge patch applied (a null in the patch removes the member).</summary>
    public static JsonElement Patched(string patch, string baseBody = Valid)
    {
        var target = JsonNode.Parse(baseBody)!.AsObject();
        Merge(target, JsonNode.Parse(patch)!.AsObject());
        return JsonDocument.Parse(target.ToJsonString()).RootElement;
    }

    public static JsonElement Parse(string json) => JsonDocument.Parse(json).RootElement;

    private static void Merge(JsonObject target, JsonObject patch)
    {
        foreach (var (name, value) in patch.ToList())
        {
            if (value is null) target.Remove(name);
            else if (value is JsonObject patchObject && target[name] is JsonObject targetObject) Merge(targetObject, patchObject);
            else target[name] = value.DeepClone();
        }
    }
}
