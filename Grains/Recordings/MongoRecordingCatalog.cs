using System.Collections.Concurrent;
using Focus.Analyzer.Historic;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using MongoDB.Bson;
using MongoDB.Driver;

namespace Focus.Grains.Recordings;

/// <summary>
/// The catalog in the production MongoDB layout (<see cref="MongoRecordingQueries"/>). The layout holds no prr or
/// channel count, so those come from each file's header (read once per file, outside the database's time bound).
/// Every call to the database is bounded (<see cref="CatalogGuard"/>: <see cref="CatalogOptions.Timeout"/>, then a
/// circuit breaker), and the driver's server selection, connect, socket and wait-queue timeouts are set to
/// <see cref="CatalogOptions.Timeout"/>: a MongoDB that is down is a 503 within seconds, not after the driver's 30 s
/// server selection. UNTESTED against a live MongoDB server (none can run on the build machines): the tests check the
/// filters and documents it sends, and the time bounds against a port where nothing listens and one that never answers.
/// </summary>
public sealed partial class MongoRecordingCatalog : IRecordingCatalog, IDisposable
{
    private readonly Lazy<MongoClient> _client;
    private readonly CatalogGuard _guard;
    private readonly ILogger _logger;
    private readonly ConcurrentDictionary<string, RecordingHeader?> _headers = new(StringComparer.Ordinal);

    public MongoRecordingCatalog(IOptions<CatalogOptions> options, ILogger<MongoRecordingCatalog> logger, TimeProvider? clock = null)
    {
        _client = new(() => new MongoClient(Settings(options.Value.ConnectionString, options.Value.Timeout)));
        _guard = new CatalogGuard(Kind, options.Value, IsOutage, logger, clock);
        _logger = logger;
    }

    public string Kind => "mongo";

    /// <summary>The client settings of <paramref name="connectionString"/> with every driver timeout at most <paramref name="timeout"/>.</summary>
    internal static MongoClientSettings Settings(string connectionString, TimeSpan timeout)
    {
        var settings = MongoClientSettings.FromConnectionString(connectionString);
        settings.ServerSelectionTimeout = Min(settings.ServerSelectionTimeout, timeout);
        settings.ConnectTimeout = Min(settings.ConnectTimeout, timeout);
        settings.SocketTimeout = settings.SocketTimeout <= TimeSpan.Zero ? timeout : Min(settings.SocketTimeout, timeout);
        settings.WaitQueueTimeout = Min(settings.WaitQueueTimeout, timeout);
        return settings;

        static TimeSpan Min(TimeSpan a, TimeSpan b) => a < b ? a : b;
    }

    private IMongoDatabase Database => _client.Value.GetDatabase(MongoRecordingQueries.Database);

    public async Task<IReadOnlyList<RecordingInfo>> FindOverlapping(DateTimeOffset start, DateTimeOffset end, CancellationToken cancellationToken)
    {
        var found = await _guard.RunAsync(async token =>
        {
            var database = Database;
            var basePaths = await database.GetCollection<BsonDocument>(MongoRecordingQueries.BasePaths)
                .Find(FilterDefinition<BsonDocument>.Empty).ToListAsync(token);
            var result = new List<RecordingInfo>();
            foreach (var basePath in basePaths)
            {
                if (basePath.GetValue("guid", BsonNull.Value) is not { IsBsonNull: false } guid ||
                    basePath.GetValue("base_path", BsonNull.Value) is not BsonString { Value: var root }) continue;
                var documents = await database.GetCollection<BsonDocument>(guid.ToString())
                    .Find(MongoRecordingQueries.Overlapping(start, end)).Sort(MongoRecordingQueries.ByStart).ToListAsync(token);
                foreach (var document in documents)
                    if (MongoRecordingQueries.ToRecording(document, root) is { } recording)
                        result.Add(recording);
            }
            return result;
        }, cancellationToken);
        return found.Select(Describe).OrderBy(r => r.Start).ToArray();
    }

    public Task CheckReachableAsync(CancellationToken cancellationToken) =>
        _guard.RunAsync(token => Database.RunCommandAsync<BsonDocument>(new BsonDocument("ping", 1), cancellationToken: token), cancellationToken);

    public void Dispose()
    {
        if (_client.IsValueCreated) _client.Value.Dispose();
    }

    /// <summary>The server cannot be reached or failed the call (every driver error: the queries are fixed and tested).</summary>
    private static bool IsOutage(Exception ex) => ex is MongoException or TimeoutException or System.Net.Sockets.SocketException or IOException;

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
