using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Npgsql;
using NpgsqlTypes;

namespace Focus.Grains.Recordings;

/// <summary>
/// The catalog in PostgreSQL (CONTRACT §4): table <c>recordings</c> (id, path, start_time, end_time null while
/// recording, prr, channel range, dx, deleted) with an index on the time span, both created by the service at
/// start (idempotent). Deleted rows are ignored. Paths may be relative to <c>Focus:Storage:MountPath</c>. Every call
/// is bounded (<see cref="CatalogGuard"/>: <see cref="CatalogOptions.Timeout"/>, then a circuit breaker), and the
/// connection string's <c>Timeout</c>, <c>Command Timeout</c> and <c>Cancellation Timeout</c> are set from
/// <see cref="CatalogOptions.Timeout"/>: a database that is down or hangs is a 503 within seconds, never a wait.
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
    private readonly CatalogGuard _guard;
    private readonly ILogger _logger;
    private volatile bool _schemaReady;

    public PostgresRecordingCatalog(IOptions<CatalogOptions> options, ILogger<PostgresRecordingCatalog> logger, TimeProvider? clock = null)
    {
        _dataSource = NpgsqlDataSource.Create(Bounded(options.Value.ConnectionString, options.Value.Timeout));
        _guard = new CatalogGuard(Kind, options.Value, IsOutage, logger, clock);
        _logger = logger;
    }

    /// <summary>The connection string with the driver's own timeouts no longer than <paramref name="timeout"/>.</summary>
    internal static string Bounded(string connectionString, TimeSpan timeout)
    {
        var seconds = (int)Math.Max(1, Math.Ceiling(timeout.TotalSeconds));
        return new NpgsqlConnectionStringBuilder(connectionString)
        {
            Timeout = seconds, // connecting
            CommandTimeout = seconds,
            // After a cancelled command, how long to wait for the server to confirm before the connection is dropped.
            CancellationTimeout = (int)Math.Min(500, timeout.TotalMilliseconds),
        }.ConnectionString;
    }

    public string Kind => "postgres";

    /// <summary>Creates the table and index when missing (at start, or at the first call after the database came back).</summary>
    public Task EnsureSchemaAsync(CancellationToken cancellationToken) => _guard.RunAsync(CreateSchemaAsync, cancellationToken);

    private async Task CreateSchemaAsync(CancellationToken cancellationToken)
    {
        await using var command = _dataSource.CreateCommand(Schema);
        await command.ExecuteNonQueryAsync(cancellationToken);
        _schemaReady = true;
    }

    public Task CheckReachableAsync(CancellationToken cancellationToken) =>
        _guard.RunAsync(async token =>
        {
            await using var command = _dataSource.CreateCommand("SELECT 1");
            await command.ExecuteScalarAsync(token);
        }, cancellationToken);

    public Task<IReadOnlyList<RecordingInfo>> FindOverlapping(DateTimeOffset start, DateTimeOffset end, CancellationToken cancellationToken) =>
        _guard.RunAsync<IReadOnlyList<RecordingInfo>>(async token =>
        {
            if (!_schemaReady) await CreateSchemaAsync(token);
            await using var command = _dataSource.CreateCommand(Overlapping);
            command.Parameters.Add(new NpgsqlParameter("start", NpgsqlDbType.TimestampTz) { Value = start.UtcDateTime });
            command.Parameters.Add(new NpgsqlParameter("end", NpgsqlDbType.TimestampTz) { Value = end.UtcDateTime });
            await using var reader = await command.ExecuteReaderAsync(token);
            var rows = new List<RecordingInfo>();
            while (await reader.ReadAsync(token))
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
            return rows;
        }, cancellationToken);

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
        await _guard.RunAsync(async token =>
        {
            if (!_schemaReady) await CreateSchemaAsync(token);
            await command.ExecuteNonQueryAsync(token);
        }, cancellationToken);
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
            // Not fatal: /configure answers 503 until the database is back (the first call then creates the schema),
            // and /health/ready says so.
            LogUnavailable(ex.Message);
        }
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public ValueTask DisposeAsync() => _dataSource.DisposeAsync();

    /// <summary>
    /// The database is unreachable or failing (not a bug in a query): the server is down, refuses, hangs up, or is
    /// shutting down or starting (SQLSTATE class 08 connection exceptions, 57P admin shutdown / cannot connect now,
    /// 53 insufficient resources). The pool is cleared, so the next call connects anew (a restarted server's old
    /// connections are dead).
    /// </summary>
    private bool IsOutage(Exception ex)
    {
        var outage = ex switch
        {
            PostgresException pg => pg.SqlState.StartsWith("08", StringComparison.Ordinal) || pg.SqlState.StartsWith("57P", StringComparison.Ordinal)
                || pg.SqlState.StartsWith("53", StringComparison.Ordinal),
            NpgsqlException or TimeoutException or System.Net.Sockets.SocketException or IOException => true,
            _ => false,
        };
        if (outage) _dataSource.Clear();
        return outage;
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Recording catalog (postgres) ready")]
    private partial void LogReady();

    [LoggerMessage(Level = LogLevel.Warning, Message = "Recording catalog (postgres) unavailable at start: {Reason}")]
    private partial void LogUnavailable(string reason);
}
