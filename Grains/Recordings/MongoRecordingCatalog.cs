using System.Collections.Concurrent;
using Focus.Analyzer.Historic;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using MongoDB.Bson;
using MongoDB.Driver;

namespace Focus.Grains.Recordings;

/// <summary>
/// The catalog in the production MongoDB layout (<see cref="MongoRecordingQueries"/>). The layout holds no prr or
/// channel count, so those come from each file's header (read once per file). UNTESTED against a live MongoDB
/// server: no server runs on the build machines; the tests check the filters and documents it sends.
/// </summary>
public sealed partial class MongoRecordingCatalog(IOptions<CatalogOptions> options, ILogger<MongoRecordingCatalog> logger)
    : IRecordingCatalog
{
    private readonly Lazy<IMongoDatabase> _database = new(() =>
        new MongoClient(options.Value.ConnectionString).GetDatabase(MongoRecordingQueries.Database));
    private readonly ConcurrentDictionary<string, RecordingHeader?> _headers = new(StringComparer.Ordinal);

    public string Kind => "mongo";

    public async Task<IReadOnlyList<RecordingInfo>> FindOverlapping(DateTimeOffset start, DateTimeOffset end, CancellationToken cancellationToken)
    {
        try
        {
            var database = _database.Value;
            var basePaths = await database.GetCollection<BsonDocument>(MongoRecordingQueries.BasePaths)
                .Find(FilterDefinition<BsonDocument>.Empty).ToListAsync(cancellationToken);
            var result = new List<RecordingInfo>();
            foreach (var basePath in basePaths)
            {
                if (basePath.GetValue("guid", BsonNull.Value) is not { IsBsonNull: false } guid ||
                    basePath.GetValue("base_path", BsonNull.Value) is not BsonString { Value: var root }) continue;
                var documents = await database.GetCollection<BsonDocument>(guid.ToString())
                    .Find(MongoRecordingQueries.Overlapping(start, end)).Sort(MongoRecordingQueries.ByStart).ToListAsync(cancellationToken);
                foreach (var document in documents)
                    if (MongoRecordingQueries.ToRecording(document, root) is { } recording)
                        result.Add(Describe(recording));
            }
            return result.OrderBy(r => r.Start).ToArray();
        }
        catch (Exception ex) when (ex is MongoException or TimeoutException)
        {
            throw new CatalogUnavailableException($"the recording catalog (mongo) is unreachable: {ex.Message}", ex);
        }
    }

    public async Task CheckReachableAsync(CancellationToken cancellationToken)
    {
        try
        {
            await _database.Value.RunCommandAsync<BsonDocument>(new BsonDocument("ping", 1), cancellationToken: cancellationToken);
        }
        catch (Exception ex) when (ex is MongoException or TimeoutException)
        {
            throw new CatalogUnavailableException($"the recording catalog (mongo) is unreachable: {ex.Message}", ex);
        }
    }

    private RecordingInfo Describe(RecordingInfo recording)
    {
        var header = _headers.GetOrAdd(recording.Path, path =>
        {
            try
            {
                return Focus.Analyzer.Historic.Formats.RecordingFormats.ReadHeader(path);
            }
            catch (Exception ex) when (ex is not OperationCanceledException) // a hostile file fails only itself
            {
                LogUnreadable(path, ex.Message);
                return null;
            }
        });
        if (header is null) _headers.TryRemove(recording.Path, out _); // try again next time: it may arrive
        return header is null ? recording : recording with { Prr = header.Prr, Channels = header.Channels, Dx = header.Dx };
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Catalogued recording {Path} cannot be read: {Reason}")]
    private partial void LogUnreadable(string path, string reason);
}
