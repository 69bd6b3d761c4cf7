namespace Focus.Grains.Fiber;

/// <summary>
/// What the interrogator last said about the fiber (a <c>Prpcast.Info</c>), CONTRACT §1 /live_metadata.
/// <see cref="IsKnown"/> is false before the first message ("waiting for fiber").
/// </summary>
[GenerateSerializer, Immutable, Alias("Focus.FiberMetadata")]
public sealed record FiberMetadata
{
    public const string WaitingForFiber = "waiting for fiber";

    [Id(0)] public double Prr { get; init; }
    [Id(1)] public int NumberOfChannels { get; init; }
    [Id(2)] public double Dx { get; init; }
    [Id(3)] public double FiberStartMeters { get; init; }
    [Id(4)] public double FiberLengthMeters { get; init; }
    [Id(5)] public string SwVersion { get; init; } = WaitingForFiber;
    [Id(6)] public string FiberDescription { get; init; } = WaitingForFiber;
    [Id(7)] public string InterrogatorId { get; init; } = "";
    [Id(8)] public int BlockSize { get; init; } = 64;
    [Id(9)] public int NumSamplesPerTrace { get; init; }
    [Id(10)] public DateTimeOffset? ReceivedAt { get; init; }

    public bool IsKnown => Prr > 0 && NumberOfChannels > 0;
    public double Nyquist => Prr / 2;

    public static FiberMetadata Waiting { get; } = new();
}
