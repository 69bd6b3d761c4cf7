namespace Focus.Grains.Jobs;

/// <summary>What a running job holds: where its stream is served and what it is expected to cost.</summary>
[GenerateSerializer, Immutable, Alias("Focus.JobResources")]
public sealed record JobResources
{
    [Id(0)] public required string StreamHost { get; init; }
    [Id(1)] public required int StreamPort { get; init; }
    [Id(2)] public required string Silo { get; init; }
    [Id(3)] public long EstimatedMemoryBytes { get; init; }
    /// <summary>Cores this job needs while read, at real time.</summary>
    [Id(4)] public double EstimatedCpuCores { get; init; }
    /// <summary>The RabbitMQ queue of a live job; null for the built-in simulator.</summary>
    [Id(5)] public string? Queue { get; init; }
    /// <summary>The stream port serves TLS (<c>Focus:Streams:Tls</c>): <c>stream_tls</c>.</summary>
    [Id(6)] public bool StreamTls { get; init; }
}
