namespace Focus.Grains.Analyzers;

/// <summary>What one live silo carries now, as the registry counts it.</summary>
[GenerateSerializer, Immutable, Alias("Focus.SiloLoad")]
public sealed record SiloLoad
{
    [Id(0)] public required SiloAddress Silo { get; init; }
    [Id(1)] public required string Name { get; init; }
    [Id(2)] public int Jobs { get; init; }
    [Id(3)] public double EstimatedCpuCores { get; init; }
    /// <summary>Draining (shutting down): takes no new jobs.</summary>
    [Id(4)] public bool Draining { get; init; }
    /// <summary>Channel-samples per second through the FFT its jobs need when read (placement's compute budget).</summary>
    [Id(5)] public double FftSamplesPerSecond { get; init; }
}
