namespace Focus.UnitTests.Spectral;

/// <summary>
/// Bytes a kernel allocates in its steady state: the least any of a few rounds allocated on this thread. One round
/// once saw 688 B in a full suite run that the test alone never shows (a one-off of the runtime's, most likely the
/// tiered JIT swapping in an optimised method mid-round); an allocation per frame shows in every round.
/// </summary>
internal static class SteadyStateAllocation
{
    public static long Least(Action round, int rounds = 5)
    {
        var least = long.MaxValue;
        for (var r = 0; r < rounds && least > 0; r++)
        {
            var before = GC.GetAllocatedBytesForCurrentThread();
            round();
            least = Math.Min(least, GC.GetAllocatedBytesForCurrentThread() - before);
        }
        return least;
    }
}
