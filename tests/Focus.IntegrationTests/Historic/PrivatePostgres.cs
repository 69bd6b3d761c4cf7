using System.Diagnostics;

namespace Focus.IntegrationTests.Historic;

/// <summary>
/// A PostgreSQL server of one test's own, started and stopped with <c>tests/servers/postgres.sh</c> run as a program
/// (the same cluster set-up as the shared server ./test.sh starts): a test that stops its database must not stop the
/// one every other test uses. Restarted on the same port, so a service's connection string stays valid. Needs what
/// ./test.sh needs (root, Debian's postgresql); fails, never skips, without it.
/// </summary>
internal sealed class PrivatePostgres : IAsyncDisposable
{
    private readonly string _root;
    private readonly string _dir;

    private PrivatePostgres(string root)
    {
        _root = root;
        _dir = Path.Combine(root, "pg");
    }

    /// <summary>The Npgsql connection string of its database <c>focus</c>.</summary>
    public string ConnectionString { get; private set; } = "";

    public int Port { get; private set; }

    public static async Task<PrivatePostgres> StartAsync()
    {
        // Under test.sh's run folder (removed at its end), else a temporary folder of its own.
        var parent = Environment.GetEnvironmentVariable("FOCUS_TEST_RUN_DIR") is { Length: > 0 } run && Directory.Exists(run) ? run : Path.GetTempPath();
        var server = new PrivatePostgres(Path.Combine(parent, $"focus-private-pg-{Guid.NewGuid():N}"));
        Directory.CreateDirectory(server._root);
        try
        {
            await server.StartAgainAsync();
        }
        catch
        {
            await server.DisposeAsync();
            throw;
        }
        return server;
    }

    /// <summary>Starts the server (its cluster is made on first use; later starts keep its port and databases).</summary>
    public async Task StartAgainAsync()
    {
        var output = await Script("start", _dir, Port == 0 ? "" : Port.ToString(System.Globalization.CultureInfo.InvariantCulture));
        ConnectionString = output.Trim();
        Port = new Npgsql.NpgsqlConnectionStringBuilder(ConnectionString).Port;
    }

    /// <summary>Stops the server (fast shutdown: clients are disconnected, new connections refused).</summary>
    public Task StopAsync() => Script("stop", _dir);

    public async ValueTask DisposeAsync()
    {
        try
        {
            await StopAsync();
        }
        finally
        {
            if (Directory.Exists(_root)) Directory.Delete(_root, recursive: true);
        }
    }

    private static async Task<string> Script(params string[] arguments)
    {
        var script = Path.Combine(RepositoryRoot(), "tests", "servers", "postgres.sh");
        using var process = Process.Start(new ProcessStartInfo("bash", [script, .. arguments.Where(a => a.Length > 0)])
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        })!;
        var output = process.StandardOutput.ReadToEndAsync();
        var errors = process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync().WaitAsync(TimeSpan.FromSeconds(120));
        Assert.True(process.ExitCode == 0,
            $"tests/servers/postgres.sh {string.Join(' ', arguments)} failed (run the tests with ./test.sh, as root, which installs postgresql): {await errors}");
        return await output;
    }

    private static string RepositoryRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
            if (File.Exists(Path.Combine(dir.FullName, "Focus.Orleans.sln"))) return dir.FullName;
        throw new InvalidOperationException($"Focus.Orleans.sln not found above {AppContext.BaseDirectory}");
    }
}
