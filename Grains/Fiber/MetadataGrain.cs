
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
        // Only silos whose jobs read chunks know num_samples_per_trace; another silo's feed (0) does not reset it.
        if (metadata.NumSamplesPerTrace == 0 && _metadata.NumSamplesPerTrace > 0 && metadata.InterrogatorId == _metadata.InterrogatorId)
            metadata = metadata with { NumSamplesPerTrace = _metadata.NumSamplesPerTrace };
        _metadata = metadata;
        return Task.CompletedTask;
    }

    public Task<FiberMetadata> Get() => Task.FromResult(_metadata);
}
