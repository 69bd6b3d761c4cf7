using Npgsql;

namespace Focus.Silo.Hosting;

/// <summary>
/// The PostgreSQL schema of <c>Focus:Cluster:Kind=adonet</c>: Orleans' own tables and the queries its
/// ADO.NET providers read from <c>OrleansQuery</c> (clustering, grain state, reminders). Versioned in
/// <c>focus_schema_version</c>; <see cref="ApplyAsync"/> brings a database to <see cref="Version"/> in
/// one transaction (PostgreSQL DDL is transactional), so a failed or concurrent init-db leaves nothing half done.
/// </summary>
public static class ClusterSchema
{
    /// <summary>The schema this build needs.</summary>
    public const int Version = 1;

    public const string InitDbHint = "dotnet run --project Silo -- init-db --Focus:Cluster:ConnectionString=\"...\"";

    private const long AdvisoryLockKey = 0x466f637573; // "Focus"

    private static readonly (int Version, string[] Scripts)[] Steps =
    [
        (1, ["PostgreSQL-Main.sql", "PostgreSQL-Clustering.sql", "PostgreSQL-Persistence.sql", "PostgreSQL-Reminders.sql"]),
    ];

    /// <summary>Applies what is missing; returns the versions applied now (empty when the database was current).</summary>
    public static async Task<IReadOnlyList<int>> ApplyAsync(string connectionString, CancellationToken cancellationToken)
    {
        await using var connection = new NpgsqlConnection(connectionString);
        await connection.OpenAsync(cancellationToken);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
        await ExecuteAsync(connection, transaction, $"SELECT pg_advisory_xact_lock({AdvisoryLockKey})", cancellationToken);
        await ExecuteAsync(connection, transaction, """
            CREATE TABLE IF NOT EXISTS focus_schema_version (
                version integer PRIMARY KEY,
                applied_at timestamptz NOT NULL DEFAULT now())
            """, cancellationToken);
        var current = await ReadVersionAsync(connection, transaction, cancellationToken);

        var applied = new List<int>();
        foreach (var (version, scripts) in Steps)
        {
            if (version <= current) continue;
            foreach (var script in scripts)
                await ExecuteAsync(connection, transaction, ReadScript(script), cancellationToken);
            await ExecuteAsync(connection, transaction, $"INSERT INTO focus_schema_version(version) VALUES ({version})", cancellationToken);
            applied.Add(version);
        }

        await transaction.CommitAsync(cancellationToken);
        return applied;
    }

    /// <summary>The version the database holds: 0 when it has no Focus schema at all.</summary>
    public static async Task<int> ReadVersionAsync(string connectionString, CancellationToken cancellationToken)
    {
        await using var connection = new NpgsqlConnection(connectionString);
        await connection.OpenAsync(cancellationToken);
        await using var exists = new NpgsqlCommand("SELECT to_regclass('focus_schema_version') IS NOT NULL", connection);
        if (!(bool)(await exists.ExecuteScalarAsync(cancellationToken))!) return 0;
        return await ReadVersionAsync(connection, null, cancellationToken);
    }

    private static async Task<int> ReadVersionAsync(NpgsqlConnection connection, NpgsqlTransaction? transaction, CancellationToken cancellationToken)
    {
        await using var command = new NpgsqlCommand("SELECT coalesce(max(version), 0) FROM focus_schema_version", connection, transaction);
        return Convert.ToInt32(await command.ExecuteScalarAsync(cancellationToken));
    }

    private static async Task ExecuteAsync(NpgsqlConnection connection, NpgsqlTransaction transaction, string sql, CancellationToken cancellationToken)
    {
        await using var command = new NpgsqlCommand(sql, connection, transaction);
        await command.ExecuteNonQueryAsync(cancellationToken);
    }

    private static string ReadScript(string name)
    {
        using var stream = typeof(ClusterSchema).Assembly.GetManifestResourceStream($"Focus.Silo.Schema.{name}")
            ?? throw new InvalidOperationException($"the schema script {name} is not embedded in this build");
        using var reader = new StreamReader(stream);
        return reader.ReadToEnd();
    }
}
