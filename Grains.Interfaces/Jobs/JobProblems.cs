namespace Focus.Grains.Jobs;

/// <summary>The problems both gateway and grains raise, worded once.</summary>
public static class JobProblems
{
    public static JobProblem Invalid(IReadOnlyDictionary<string, string[]> errors) => new()
    {
        Kind = JobProblemKind.Invalid,
        Detail = string.Join("; ", errors.SelectMany(e => e.Value)),
        Errors = errors,
    };
}
