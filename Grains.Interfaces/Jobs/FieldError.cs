namespace Focus.Grains.Jobs;

/// <summary>One validation failure: the offending field as spelled in the JSON body (dotted when nested,
/// e.g. <c>displayInfo.height</c>) and a message that names the field and the rule in words.</summary>
[GenerateSerializer, Immutable, Alias("Focus.FieldError")]
public sealed record FieldError
{
    [Id(0)] public required string Field { get; init; }
    [Id(1)] public required string Message { get; init; }
}
