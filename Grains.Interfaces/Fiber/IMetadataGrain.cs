using Orleans.Concurrency;

namespace Focus.Grains.Fiber;

/// <summary>The last fiber metadata (Prpcast.Info); one activation, key <see cref="MetadataKey.Value"/>.</summary>
[Alias("Focus.IMetadataGrain")]
public interface IMetadataGrain : IGrainWithStringKey
{
    [Alias("Update")]
    Task Update(FiberMetadata metadata);

    [Alias("Get"), AlwaysInterleave]
    Task<FiberMetadata> Get();
}

public static class MetadataKey
{
    public const string Value = "live";
}
