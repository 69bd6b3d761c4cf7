namespace Focus.Grains.Jobs;

/// <summary>
/// Who asked for a job: <see cref="Client"/> is the key quotas count by (the identity's name when
/// authentication is on, the remote address otherwise); <see cref="Owner"/> is the identity recorded on
/// the job and shown in /jobs and /metadata (null when authentication is off).
/// </summary>
[GenerateSerializer, Immutable, Alias("Focus.JobCaller")]
public sealed record JobCaller(
    [property: Id(0)] string Client,
    [property: Id(1)] string? Owner);
