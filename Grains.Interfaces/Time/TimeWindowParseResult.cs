using System.Diagnostics.CodeAnalysis;
using Focus.Grains.Jobs;

namespace Focus.Grains.Time;

/// <summary>Either a <see cref="TimeWindow"/> or the field errors that make a 422.</summary>
public sealed class TimeWindowParseResult
{
    private TimeWindowParseResult(TimeWindow? window, FieldErrors errors) => (Window, Errors) = (window, errors);

    public TimeWindow? Window { get; }
    public FieldErrors Errors { get; }

    [MemberNotNullWhen(true, nameof(Window))]
    public bool IsValid => Window is not null;

    internal static TimeWindowParseResult Success(TimeWindow window) => new(window, new FieldErrors());
    internal static TimeWindowParseResult Failure(FieldErrors errors) => new(null, errors);
}
