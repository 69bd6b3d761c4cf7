using Orleans.Concurrency;

namespace Focus.Grains.Recordings;

/// <summary>The gateway's way to the catalog: any silo's catalog answers (stateless worker, local).</summary>
[StatelessWorker]
public sealed class RecordingsGrain(IRecordingCatalog catalog) : Grain, IRecordingsGrain
{
    public Task<IReadOnlyList<RecordingInfo>> FindOverlapping(DateTimeOffset start, DateTimeOffset end) =>
        catalog.FindOverlapping(start, end, CancellationToken.None);
}
