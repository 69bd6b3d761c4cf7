namespace Focus.Grains.Exposure;

/// <summary>
/// Deletes job Services whose job holds no stream any more (a delete that failed, a silo that died mid-start).
/// One activation, key <see cref="StreamServiceSweeperKey.Value"/>, driven by a reminder and poked at each silo's start.
/// </summary>
[Alias("Focus.IStreamServiceSweeperGrain")]
public interface IStreamServiceSweeperGrain : IGrainWithStringKey
{
    /// <summary>Makes sure the reminder is registered and sweeps once; the number of Services deleted.</summary>
    [Alias("Sweep")]
    Task<int> Sweep();
}

public static class StreamServiceSweeperKey
{
    public const string Value = "cluster";
}
