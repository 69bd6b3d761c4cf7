using Focus.Grains.Hosting;
using Npgsql;

namespace Focus.Silo.Hosting;

/// <summary><c>Focus.Silo init-db</c>: applies the PostgreSQL schema of <c>Focus:Cluster</c> (idempotent) and exits.</summary>
public static class InitDbCommand
{
    public const string Name = "init-db";

    public static async Task<int> RunAsync(string[] args, TextWriter output, TextWriter error)
    {
        var configuration = WebApplication.CreateBuilder(args).Configuration;
        var section = configuration.GetSection(ClusterHostOptions.Section);
        if (ConfigEnum.WrongNames(typeof(ClusterHostOptions), section).ToList() is [_, ..] wrong)
        {
            await error.WriteLineAsync($"init-db: {string.Join(" ", wrong)}");
            return 2;
        }
        var cluster = section.Get<ClusterHostOptions>() ?? new ClusterHostOptions();
        if (string.IsNullOrWhiteSpace(cluster.ConnectionString))
        {
            await error.WriteLineAsync($"init-db: {ClusterHostOptions.Section}:ConnectionString is empty; give the PostgreSQL connection string, e.g. --{ClusterHostOptions.Section}:ConnectionString=\"Host=127.0.0.1;Database=focus;Username=focus;Password=...\"");
            return 2;
        }

        try
        {
            using var cancel = new CancellationTokenSource(TimeSpan.FromMinutes(2));
            var applied = await ClusterSchema.ApplyAsync(cluster.ConnectionString, cancel.Token);
            await output.WriteLineAsync(applied.Count == 0
                ? $"init-db: the database already holds schema version {ClusterSchema.Version}; nothing to do."
                : $"init-db: applied schema version {string.Join(", ", applied)}; the database is at version {ClusterSchema.Version}.");
            return 0;
        }
        catch (Exception ex) when (ex is NpgsqlException or OperationCanceledException or InvalidOperationException)
        {
            await error.WriteLineAsync($"init-db: could not apply the schema: {ex.Message}");
            return 1;
        }
    }
}
