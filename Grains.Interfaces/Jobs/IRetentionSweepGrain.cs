namespace Focus.Grains.Jobs;

/// <summary>
/// The ended jobs due to be forgotten within one slice of time, keyed by the slice's end
/// (<c>RetentionSweepGrain.KeyFor</c>): one reminder per slice forgets them all, however many jobs ended, so that ended
/// jobs cost no reminder each. Durable (grain storage and the reminder table): jobs of a silo that died are forgotten
/// all the same.
/// </summary>
[Alias("Focus.IRetentionSweepGrain")]
public interface IRetentionSweepGrain : IGrainWithStringKey
{
    /// <summary>Adds an ended job, to be forgotten when the slice ends.</summary>
    [Alias("Add")]
    Task Add(string jobId);
}
