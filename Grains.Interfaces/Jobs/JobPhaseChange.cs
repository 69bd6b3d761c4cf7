namespace Focus.Grains.Jobs;

[GenerateSerializer, Immutable, Alias("Focus.JobPhaseChange")]
public sealed record JobPhaseChange([property: Id(0)] JobPhase Phase, [property: Id(1)] DateTimeOffset At);
