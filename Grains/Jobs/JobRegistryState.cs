namespace Focus.Grains.Jobs;

/// <summary>
/// The registry's durable record (grain storage <see cref="FocusStorage.Jobs"/>, state "registry"): the id
/// sequence, the started active jobs with their silo, and the idempotency keys of those jobs. Proportional to the
/// active jobs, whatever has come and gone. A registry reactivated on another silo resumes from it.
/// </summary>
[GenerateSerializer, Immutable, Alias("Focus.JobRegistryState")]
public sealed record JobRegistryState
{
    [Id(0)] public long Sequence { get; init; }
    [Id(1)] public IReadOnlyList<RegisteredJob> Jobs { get; init; } = [];
    [Id(2)] public IReadOnlyList<RegisteredKey> Keys { get; init; } = [];
}

/// <summary>An admitted job: its listing row, the silo its analyzer runs on, its estimated CPU and FFT load.</summary>
[GenerateSerializer, Immutable, Alias("Focus.RegisteredJob")]
public sealed record RegisteredJob(
    [property: Id(0)] JobSummary Summary,
    [property: Id(1)] SiloAddress? Silo,
    [property: Id(2)] double EstimatedCpuCores,
    [property: Id(3)] double FftSamplesPerSecond = 0);

[GenerateSerializer, Immutable, Alias("Focus.RegisteredKey")]
public sealed record RegisteredKey(
    [property: Id(0)] string Key,
    [property: Id(1)] ConfigureRequest Request,
    [property: Id(2)] string JobId,
    [property: Id(3)] DateTimeOffset ExpiresAt);
