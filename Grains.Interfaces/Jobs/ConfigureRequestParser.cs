using System.Text.Json;
using Focus.Grains.Time;
using static Focus.Grains.Jobs.ConfigureRules;
using static Focus.Grains.Jobs.JsonScalars;

namespace Focus.Grains.Jobs;

/// <summary>
/// Reads a POST /configure body (CONTRACT §1) and applies every rule that needs no fiber; the fiber's
/// rules are <see cref="ConfigureRequestValidator.Validate(ConfigureRequest, Fiber.FiberMetadata)"/>.
/// Collects every error. Unknown fields are ignored and <c>null</c> counts as absent. Numbers must be
/// JSON numbers (a string is a type error, except view_type's); an integer field takes any integral
/// number (<c>1000</c>, <c>1000.0</c>, <c>1e3</c>) and refuses a fraction. An absent or non-object
/// <c>displayInfo</c>/<c>channels</c>/<c>frequencyRange</c> is one error keyed by that object.
/// Inside WATERFALL, a present <c>displayTimeAxisDuration</c> or a <c>frequencyRange</c> with a min or max
/// is an error; <c>nfftSelection</c> may be 1. Defaults stay null in the request (see
/// <see cref="JobParametersDerivation"/>); WATERFALL's accepted nfftSelection 1 is stored as null.
/// </summary>
public static class ConfigureRequestParser
{
    private static readonly string[] ViewNames = ["MULTICHANNEL", "SINGLECHANNEL", "WATERFALL"];

    /// <summary>Parses JSON text; text that is not JSON is one error keyed <c>body</c>.</summary>
    public static ConfigureRequestParseResult Parse(string json)
    {
        ArgumentNullException.ThrowIfNull(json);
        try
        {
            using var document = JsonDocument.Parse(json);
            return Parse(document.RootElement);
        }
        catch (JsonException e)
        {
            var errors = new FieldErrors();
            errors.Add(BodyField, $"{BodyField}: is not valid JSON ({e.Message})");
            return ConfigureRequestParseResult.Failure(errors);
        }
    }

    public static ConfigureRequestParseResult Parse(JsonElement body)
    {
        var errors = new FieldErrors();
        if (body.ValueKind != JsonValueKind.Object)
        {
            errors.AddInvalid(BodyField, Show(body), BodyRule);
            return ConfigureRequestParseResult.Failure(errors);
        }

        var view = ReadViewType(body, errors);
        var height = ReadHeight(body, errors);
        var (channelMin, channelMax) = ReadChannels(body, errors);
        var nfft = ReadNfft(body, view, errors);
        var duration = ReadDuration(body, view, errors);
        var (frequencyMin, frequencyMax) = ReadFrequencyRange(body, view, errors);
        var start = ReadTime(body, TimeWindow.StartField, errors);
        var end = ReadTime(body, TimeWindow.EndField, errors);
        CheckRelations(new ConfigureValues(view, channelMin, channelMax, frequencyMin, frequencyMax, start, end), errors);

        if (!errors.IsEmpty || view is null || height is null || channelMin is null || channelMax is null)
            return ConfigureRequestParseResult.Failure(errors);
        return ConfigureRequestParseResult.Success(new ConfigureRequest
        {
            ViewType = view.Value,
            Height = height.Value,
            ChannelMin = channelMin.Value,
            ChannelMax = channelMax.Value,
            NfftSelection = nfft,
            DisplayTimeAxisDuration = duration,
            FrequencyMin = frequencyMin,
            FrequencyMax = frequencyMax,
            StartTime = start,
            EndTime = end,
        });
    }

    private static ViewType? ReadViewType(JsonElement body, FieldErrors errors)
    {
        if (!TryGetPresent(body, ViewTypeField, out var value))
        {
            errors.AddRequired(ViewTypeField, ViewTypeRule);
            return null;
        }
        long? number = value.ValueKind switch
        {
            JsonValueKind.Number when TryGetInteger(value, out var n) => n,
            JsonValueKind.String => FromText(value.GetString()!),
            _ => null,
        };
        if (number is >= 0 and <= 2) return (ViewType)number.Value;
        errors.AddInvalid(ViewTypeField, Show(value), ViewTypeRule);
        return null;

        static long? FromText(string text)
        {
            if (text is ['0' or '1' or '2']) return text[0] - '0';
            var index = Array.FindIndex(ViewNames, name => string.Equals(name, text, StringComparison.OrdinalIgnoreCase));
            return index >= 0 ? index : null;
        }
    }

    private static int? ReadHeight(JsonElement body, FieldErrors errors)
    {
        if (!TryGetObject(body, DisplayInfoField, DisplayInfoRule, errors, out var displayInfo))
            return null;
        return ReadRequiredInteger(displayInfo, HeightName, HeightField, HeightRule, errors,
            (value, shown) => CheckHeight(value, shown, errors));
    }

    private static (int? Min, int? Max) ReadChannels(JsonElement body, FieldErrors errors)
    {
        if (!TryGetObject(body, ChannelsField, ChannelsRule, errors, out var channels))
            return (null, null);
        var min = ReadRequiredInteger(channels, MinName, ChannelMinField, ChannelRule, errors,
            (value, shown) => CheckChannel(ChannelMinField, value, shown, errors));
        var max = ReadRequiredInteger(channels, MaxName, ChannelMaxField, ChannelRule, errors,
            (value, shown) => CheckChannel(ChannelMaxField, value, shown, errors));
        return (min, max);
    }

    private static int? ReadNfft(JsonElement body, ViewType? view, FieldErrors errors)
    {
        if (!TryGetPresent(body, NfftField, out var value)) return null;
        var isInteger = TryGetInteger(value, out var nfft);
        if (!isInteger)
        {
            errors.AddInvalid(NfftField, Show(value), view == ViewType.Waterfall ? WaterfallNfftRule : NfftRule);
            return null;
        }
        var before = errors.Count;
        CheckNfft(nfft, Show(value), view, errors);
        return errors.Count == before && IsSpectral(view) ? (int)nfft : null;
    }

    private static double? ReadDuration(JsonElement body, ViewType? view, FieldErrors errors)
    {
        if (!TryGetPresent(body, DurationField, out var value)) return null;
        if (view == ViewType.Waterfall)
        {
            errors.AddInvalid(DurationField, Show(value), AbsentForWaterfallRule);
            return null;
        }
        if (!TryGetFiniteNumber(value, out var duration))
        {
            errors.AddInvalid(DurationField, Show(value), DurationRule);
            return null;
        }
        var before = errors.Count;
        CheckDuration(duration, Show(value), errors);
        return errors.Count == before ? duration : null;
    }

    private static (double? Min, double? Max) ReadFrequencyRange(JsonElement body, ViewType? view, FieldErrors errors)
    {
        if (!TryGetPresent(body, FrequencyRangeField, out var range)) return (null, null);
        if (view == ViewType.Waterfall)
        {
            // An empty or all-null object says nothing and counts as absent.
            if (range.ValueKind != JsonValueKind.Object || TryGetPresent(range, MinName, out _) || TryGetPresent(range, MaxName, out _))
                errors.AddInvalid(FrequencyRangeField, Show(range), AbsentForWaterfallRule);
            return (null, null);
        }
        if (range.ValueKind != JsonValueKind.Object)
        {
            errors.AddInvalid(FrequencyRangeField, Show(range), FrequencyRangeRule);
            return (null, null);
        }
        return (ReadFrequency(range, MinName, FrequencyMinField, errors), ReadFrequency(range, MaxName, FrequencyMaxField, errors));
    }

    private static double? ReadFrequency(JsonElement range, string name, string field, FieldErrors errors)
    {
        if (!TryGetPresent(range, name, out var value)) return null;
        if (!TryGetFiniteNumber(value, out var frequency))
        {
            errors.AddInvalid(field, Show(value), FrequencyRule);
            return null;
        }
        var before = errors.Count;
        CheckFrequency(field, frequency, Show(value), errors);
        return errors.Count == before ? frequency : null;
    }

    private static DateTimeOffset? ReadTime(JsonElement body, string field, FieldErrors errors)
    {
        if (!TryGetPresent(body, field, out var value)) return null;
        if (RequestTime.TryParse(value, field, out var time, out var error)) return time;
        errors.Add(field, error);
        return null;
    }

    /// <summary>A required object member: missing or not an object is one error keyed by it.</summary>
    private static bool TryGetObject(JsonElement body, string field, string rule, FieldErrors errors, out JsonElement value)
    {
        if (!TryGetPresent(body, field, out value))
        {
            errors.AddRequired(field, rule);
            return false;
        }
        if (value.ValueKind == JsonValueKind.Object) return true;
        errors.AddInvalid(field, Show(value), rule);
        return false;
    }

    /// <summary>A required integer member: missing, wrong type, then the field's own range check.</summary>
    private static int? ReadRequiredInteger(JsonElement owner, string name, string field, string rule, FieldErrors errors,
        Action<long, string> check)
    {
        if (!TryGetPresent(owner, name, out var value))
        {
            errors.AddRequired(field, rule);
            return null;
        }
        if (!TryGetInteger(value, out var number))
        {
            errors.AddInvalid(field, Show(value), rule);
            return null;
        }
        var before = errors.Count;
        check(number, Show(value));
        return errors.Count == before ? (int)number : null;
    }
}
