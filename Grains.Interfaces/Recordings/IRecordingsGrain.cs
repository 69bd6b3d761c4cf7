using Orleans.Concurrency;

namespace Focus.Grains.Recordings;

/// <summary>
/// The recording catalog as the gateway reaches it (it may run as an Orleans client without storage): a
/// stateless worker on every silo, answering from that silo's catalog.
/// </summary>
[Alias("Focus.IRecordingsGrain")]
public interface IRecordingsGrain : IGrainWithIntegerKey
{
    /// <summary>The recordings overlapping [start, end], sorted by start. Throws when the catalog is unreachable.</summary>
    [Alias("FindOverlapping")]
    Task<IReadOnlyList<RecordingInfo>> FindOverlapping(DateTimeOffset start, DateTimeOffset end);
}
