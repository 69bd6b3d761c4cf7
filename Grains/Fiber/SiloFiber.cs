namespace Focus.Grains.Fiber;

/// <summary>
/// The last fiber metadata this silo's own feed (the simulator's publisher or the <c>Prpcast.Info</c> consumer)
/// handed to the <see cref="IMetadataGrain"/>. Every silo has a feed, so when the grain's silo goes away its new
/// activation starts from this instead of "waiting for fiber" until the next message (DI singleton).
/// </summary>
public sealed class SiloFiber
{
    private volatile FiberMetadata? _latest;

    /// <summary>The last metadata seen here, or null before the first.</summary>
    public FiberMetadata? Latest => _latest;

    /// <summary>Records <paramref name="metadata"/> here and sends it to the cluster's <see cref="IMetadataGrain"/>.</summary>
    public Task Publish(IGrainFactory grains, FiberMetadata metadata)
    {
        _latest = metadata;
        return grains.GetGrain<IMetadataGrain>(MetadataKey.Value).Update(metadata);
    }
}
