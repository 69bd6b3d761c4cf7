namespace Focus.Analyzer.Sources.Simulated;

/// <summary>Stream ids for <see cref="CounterHash.Key"/>: each random quantity draws from its own stream.</summary>
internal static class Streams
{
    public const ulong Noise = 1;
    public const ulong Rumble = 2;
    public const ulong TonePhases = 3;
}
