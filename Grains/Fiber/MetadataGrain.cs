
namespace Focus.Grains.Fiber;

/// <summary>
/// Holds the last fiber metadata; in memory, since the interrogator repeats it every second. A new activation (its
/// previous silo went away) starts from what this silo's own feed last saw (<see cref="SiloFiber"/>), so /configure
/// does not answer "waiting for fiber" in between.
/// </summary>
[KeepAlive]
public sealed class MetadataGrain(SiloFiber siloFiber) : Grain, IMetadataGrain
{
    private FiberMetadata _metadata = siloFiber.Latest ?? FiberMetadata.Waiting;

    public Task Update(FiberMetadata metadata)
    {
        _metadata = metadata;
        return Task.CompletedTask;
    }

    public Task<FiberMetadata> Get() => Task.FromResult(_metadata);
}
