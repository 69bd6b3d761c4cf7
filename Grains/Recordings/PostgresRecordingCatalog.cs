using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Npgsql;
using NpgsqlTypes;

namespace Focus.Grains.Recordings;

/// <summary>
/// The catalog in PostgreSQL (CONTRACT §4): table <c>recordings</c> (id, path, start_time, end_time null while
/// recording, prr, channel range, dx, deleted) with an index on the time span, both created by the service at
/// start (idempotent). Deleted rows are ignored. Paths may be relative to <c>Focus:Storage:MountPath</c>.
/// </summary>
public sealed partial class PostgresRecordingCatalog : IRecordingCatalog, IHostedService, IAsyncDisposable
{
    public const string Schema = """
        CREATE TABLE IF NOT EXISTS recordings (
            id          text PRIMARY KEY,
            path        text NOT NULL,
            start_time  timestamptz NOT NULL,
            end_time    timestamptz NULL,
            prr         double precision NOT NULL,
            channel_min integer NOT NULL DEFAULT 1,
            channel_max integer NOT NULL,
            dx          double precision NOT NULL DEFAULT 1,
            deleted     boolean NOT NULL DEFAULT false
        );
        CREATE INDEX IF NOT EXISTS recordings_span_idx ON recordings (start_time, end_time) WHERE NOT deleted;
        """;

    private const string Overlapping = """
        SELECT id, path, start_time, end_time, prr, channel_min, channel_max, dx
        FROM recordings
        WHERE NOT deleted AND start_time < @end AND (end_time IS NULL OR end_time > @start)
        ORDER BY start_time, id
        """;

    private readonly NpgsqlDataSource _dataSource;
    private readonly ILogger _logger;

    public PostgresRecordingCatalog(IOptions<CatalogOptions> options, ILogger<PostgresRecordingCatalog> logger)
    {
        _dataSource = NpgsqlDataSource.Create(options.Value.ConnectionString);
        _logger = logger;
    }

    public string Kind => "postgres";

    /// <summary>Creates the table and index when missing.</summary>
    public async Task EnsureSchemaAsync(CancellationToken cancellationToken)
    {
        await using var command = _dataSource.CreateCommand(Schema);
        await Guarded(() => command.ExecuteNonQueryAsync(cancellationToken));
    }

    public async Task CheckReachableAsync(CancellationToken cancellationToken)
    {
        await using var command = _dataSource.CreateCommand("SELECT 1");
        await Guarded(async () => await command.ExecuteScalarAsync(cancellationToken));
    }

    public async Task<IReadOnlyList<RecordingInfo>> FindOverlapping(DateTimeOffset start, DateTimeOffset end, CancellationToken cancellationToken)
    {
        return await Guarded(async () =>
        {
            await using var command = _dataSource.CreateCommand(Overlapping);
            command.Parameters.Add(new NpgsqlParameter("start", NpgsqlDbType.TimestampTz) { Value = start.UtcDateTime });
            command.Parameters.Add(new NpgsqlParameter("end", NpgsqlDbType.TimestampTz) { Value = end.UtcDateTime });
            await using var reader = await command.ExecuteReaderAsync(cancellationToken);
            var rows = new List<RecordingInfo>();
            while (await reader.ReadAsync(cancellationToken))
            {
                rows.Add(new RecordingInfo
                {
                    Id = reader.GetString(0),
                    Path = reader.GetString(1),
                    Start = new DateTimeOffset(reader.GetDateTime(2), TimeSpan.Zero),
                    End = reader.IsDBNull(3) ? null : new DateTimeOffset(reader.GetDateTime(3), TimeSpan.Zero),
                    Prr = reader.GetDouble(4),
                    Channels = reader.GetInt32(6) - reader.GetInt32(5) + 1,
                    Dx = reader.GetDouble(7),
                });
            }
            return (IReadOnlyList<RecordingInfo>)rows;
        });
    }

    /// <summary>Adds or replaces a row (the recorder and tests use it; production recorders write their own).</summary>
    public async Task Register(RecordingInfo recording, bool deleted = false, CancellationToken cancellationToken = default)
    {
        await using var command = _dataSource.CreateCommand("""
            INSERT INTO recordings (id, path, start_time, end_time, prr, channel_min, channel_max, dx, deleted)
            VALUES (@id, @path, @start, @end, @prr, 1, @channels, @dx, @deleted)
            ON CONFLICT (id) DO UPDATE SET path = excluded.path, start_time = excluded.start_time, end_time = excluded.end_time,
                prr = excluded.prr, channel_min = excluded.channel_min, channel_max = excluded.channel_max, dx = excluded.dx, deleted = excluded.deleted
            """);
        command.Parameters.AddWithValue("id", recording.Id);
        command.Parameters.AddWithValue("path", recording.Path);
        command.Parameters.Add(new NpgsqlParameter("start", NpgsqlDbType.TimestampTz) { Value = recording.Start.UtcDateTime });
        command.Parameters.Add(new NpgsqlParameter("end", NpgsqlDbType.TimestampTz) { Value = recording.End is { } e ? e.UtcDateTime : DBNull.Value });
        command.Parameters.AddWithValue("prr", recording.Prr);
        command.Parameters.AddWithValue("channels", recording.Channels);
        command.Parameters.AddWithValue("dx", recording.Dx);
        command.Parameters.AddWithValue("deleted", deleted);
        await Guarded(() => command.ExecuteNonQueryAsync(cancellationToken));
    }

    public async Task StartAsync(CancellationToken cancellationToken)
    {
        try
        {
            await EnsureSchemaAsync(cancellationToken);
            LogReady();
        }
        catch (CatalogUnavailableException ex)
        {
            // Not fatal: /configure answers 503 until the database is back, and /health/ready says so.
            LogUnavailable(ex.Message);
        }
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public ValueTask DisposeAsync() => _dataSource.DisposeAsync();

    private static async Task<T> Guarded<T>(Func<Task<T>> action)
    {
        try
        {
            return await action();
        }
        catch (Exception ex) when (ex is NpgsqlException or TimeoutException or System.Net.Sockets.SocketException)
        {
            throw new CatalogUnavailableException($"the recording catalog (postgres) is unreachable: {ex.Message}", ex);
        }
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Recording catalog (postgres) ready")]
    private partial void LogReady();

    [LoggerMessage(Level = LogLevel.Warning, Message = "Recording catalog (postgres) unavailable at start: {Reason}")]
    private partial void LogUnavailable(string reason);
}
