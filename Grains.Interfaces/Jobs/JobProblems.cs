namespace Focus.Grains.Jobs;

/// <summary>The problems both gateway and grains raise, worded once.</summary>
public static class JobProblems
{
    public static JobProblem Invalid(FieldErrors errors) => new()
    {
        Kind = JobProblemKind.Invalid,
        Detail = errors.Detail,
        Errors = errors.ToDictionary(),
    };
}
