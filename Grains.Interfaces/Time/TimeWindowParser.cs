using System.Text.Json;
using Focus.Grains.Jobs;

namespace Focus.Grains.Time;

/// <summary>
/// The body of POST /recordings_in_time_range: <c>{"start_time": ..., "end_time": ...}</c>, both
/// required, in the /configure time forms (<see cref="RequestTime"/>), end after start, at most 24 h.
/// Unknown fields are ignored; <c>null</c> counts as absent.
/// </summary>
public static class TimeWindowParser
{
    public static TimeWindowParseResult Parse(JsonElement body)
    {
        var errors = new FieldErrors();
        if (body.ValueKind != JsonValueKind.Object)
        {
            errors.AddInvalid("body", JsonScalars.Show(body), "a JSON object with start_time and end_time");
            return TimeWindowParseResult.Failure(errors);
        }
        var start = Read(body, TimeWindow.StartField, errors);
        var end = Read(body, TimeWindow.EndField, errors);
        if (start is { } s && end is { } e)
        {
            TimeWindow.Check(s, e, errors);
            if (errors.IsEmpty) return TimeWindowParseResult.Success(new TimeWindow { Start = s, End = e });
        }
        return TimeWindowParseResult.Failure(errors);
    }

    private static DateTimeOffset? Read(JsonElement body, string field, FieldErrors errors)
    {
        if (!JsonScalars.TryGetPresent(body, field, out var value))
        {
            errors.AddRequired(field, RequestTime.Rule);
            return null;
        }
        if (RequestTime.TryParse(value, field, out var time, out var error)) return time;
        errors.Add(field, error);
        return null;
    }
}
