using Microsoft.Extensions.Options;
using Npgsql;

namespace Focus.Silo.Hosting;

/// <summary>
/// Runs before the silo joins an <c>adonet</c> cluster: a database without the schema this build needs
/// stops the process with a message naming <c>init-db</c>, instead of an obscure provider error later.
/// </summary>
internal sealed class ClusterSchemaCheck(IOptions<ClusterHostOptions> options) : IHostedLifecycleService
{
    /// <summary>In <c>StartingAsync</c>, so it runs before any hosted service starts (the silo's included).</summary>
    public async Task StartingAsync(CancellationToken cancellationToken)
    {
        var connectionString = options.Value.ConnectionString;
        int version;
        try
        {
            version = await ClusterSchema.ReadVersionAsync(connectionString, cancellationToken);
        }
        catch (NpgsqlException ex)
        {
            throw new ClusterStartException($"{ClusterHostOptions.Section}:ConnectionString: cannot reach PostgreSQL: {ex.Message}", ex);
        }

        if (version < ClusterSchema.Version)
            throw new ClusterStartException(version == 0
                ? $"The PostgreSQL database of {ClusterHostOptions.Section}:ConnectionString has no Focus schema. Initialise it once with: {ClusterSchema.InitDbHint}"
                : $"The PostgreSQL database holds Focus schema version {version}; this build needs {ClusterSchema.Version}. Upgrade it with: {ClusterSchema.InitDbHint}");
    }

    public Task StartAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task StartedAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task StoppingAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task StoppedAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}

/// <summary>The silo cannot join its cluster for a reason an operator fixes; the message says how.</summary>
public sealed class ClusterStartException(string message, Exception? inner = null) : Exception(message, inner);
