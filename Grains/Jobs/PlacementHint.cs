using Orleans.Runtime.Placement;

namespace Focus.Grains.Jobs;

/// <summary>
/// A call that activates its grain on the silo the registry chose (every built-in placement honours the hint): the
/// registry places a job there, and the job its analyzer, so losing a silo touches only its own jobs.
/// </summary>
internal static class PlacementHint
{
    public static Task<T> On<T>(SiloAddress? silo, Func<Task<T>> call)
    {
        if (silo is null) return call();
        RequestContext.Set(IPlacementDirector.PlacementHintKey, silo);
        try
        {
            return call();
        }
        finally
        {
            RequestContext.Remove(IPlacementDirector.PlacementHintKey);
        }
    }
}
