namespace Focus.Grains.Recordings;

/// <summary>
/// "Which recordings overlap [start, end]?" (CONTRACT §4) behind one interface, with a back end per store:
/// <see cref="FolderRecordingCatalog"/>, <see cref="PostgresRecordingCatalog"/>, <see cref="MongoRecordingCatalog"/>.
/// One per silo (DI singleton).
/// </summary>
public interface IRecordingCatalog
{
    /// <summary><c>folder</c>, <c>postgres</c> or <c>mongo</c>.</summary>
    string Kind { get; }

    /// <summary>
    /// The recordings overlapping [<paramref name="start"/>, <paramref name="end"/>], sorted by start.
    /// Throws <see cref="CatalogUnavailableException"/> when the store cannot be reached.
    /// </summary>
    Task<IReadOnlyList<RecordingInfo>> FindOverlapping(DateTimeOffset start, DateTimeOffset end, CancellationToken cancellationToken);

    /// <summary>
    /// A cheap round trip to the store, for <c>/health/ready</c>. Throws <see cref="CatalogUnavailableException"/>
    /// (with the reason) when it cannot be reached.
    /// </summary>
    Task CheckReachableAsync(CancellationToken cancellationToken);
}
