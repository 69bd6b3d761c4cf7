
namespace Focus.Grains.Jobs;

/// <summary>
/// The registry's durable record (grain storage <see cref="FocusStorage.Jobs"/>, state "registry"): the id
/// sequence, the running jobs with their silo, and the idempotency keys of jobs created. A registry
/// reactivated on another silo resumes from it.
/// </summary>
[GenerateSerializer, Immutable, Alias("Focus.JobRegistryState")]
public sealed record JobRegistryState
{
    [Id(0)] public long Sequence { get; init; }
    [Id(1)] public IReadOnlyList<RegisteredJob> Jobs { get; init; } = [];
    [Id(2)] public IReadOnlyList<RegisteredKey> Keys { get; init; } = [];
}

/// <summary>An admitted job: its listing row, the silo its analyzer runs on, and its estimated CPU.</summary>
[GenerateSerializer, Immutable, Alias("Focus.RegisteredJob")]
public sealed record RegisteredJob(
    [property: Id(0)] JobSummary Summary,
    [property: Id(1)] SiloAddress? Silo,
    [property: Id(2)] double EstimatedCpuCores);

[GenerateSerializer, Immutable, Alias("Focus.RegisteredKey")]
public sealed record RegisteredKey(
    [property: Id(0)] string Key,
    [property: Id(1)] ConfigureRequest Request,
    [property: Id(2)] string JobId,
    [property: Id(3)] DateTimeOffset ExpiresAt);
