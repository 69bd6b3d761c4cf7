namespace Focus.Grains.Jobs;

[GenerateSerializer, Immutable, Alias("Focus.JobProblem")]
public sealed record JobProblem
{
    [Id(0)] public required JobProblemKind Kind { get; init; }
    [Id(1)] public required string Detail { get; init; }
    /// <summary>Field → messages, for <see cref="JobProblemKind.Invalid"/>.</summary>
    [Id(2)] public IReadOnlyDictionary<string, string[]>? Errors { get; init; }
    /// <summary>When waiting helps (503).</summary>
    [Id(3)] public TimeSpan? RetryAfter { get; init; }

    public static JobProblem Unavailable(string detail, TimeSpan? retryAfter = null) =>
        new() { Kind = JobProblemKind.Unavailable, Detail = detail, RetryAfter = retryAfter };
}
