
namespace Focus.Grains.Fiber;

/// <summary>Holds the last fiber metadata; in memory, since the interrogator repeats it every second.</summary>
[KeepAlive]
public sealed class MetadataGrain : Grain, IMetadataGrain
{
    private FiberMetadata _metadata = FiberMetadata.Waiting;

    public Task Update(FiberMetadata metadata)
    {
        _metadata = metadata;
        return Task.CompletedTask;
    }

    public Task<FiberMetadata> Get() => Task.FromResult(_metadata);
}
