using System.Diagnostics;
namespace Focus.IntegrationTests.Infrastructure;

/// <summary>
/// A PostgreSQL of one test's own (tests/servers/postgres.sh run as a command): the fault tests stop and start it
/// under a running cluster, the catalog outage tests under a running job, which the server every other test shares
/// must never see. Needs root (the server runs as the postgres OS user), as test.sh does; fails, never skips, without it.
/// </summary>
internal sealed class PrivatePostgres : IAsyncDisposable
{
    private static readonly TimeSpan CommandDeadline = TimeSpan.FromSeconds(90);
    private readonly string _folder;

    private PrivatePostgres(string folder, int port, string connectionString)
    {
        (_folder, Port, ConnectionString) = (folder, port, connectionString);
    }

    public int Port { get; }

    public string ConnectionString { get; }

    public bool IsUp { get; private set; } = true;

    public static async Task<PrivatePostgres> StartAsync()
    {
        // Under test.sh's run folder (the postgres user can reach it), else the temp folder.
        var parent = Environment.GetEnvironmentVariable("FOCUS_TEST_RUN_DIR") is { Length: > 0 } run ? run : Path.GetTempPath();
        var folder = Path.Combine(parent, $"private-postgres-{Guid.NewGuid():N}"[..32]);
        var port = FreePorts.Any();
        var output = await RunAsync("start", folder, port.ToString(System.Globalization.CultureInfo.InvariantCulture));
        var connectionString = output.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)[^1];
        // Short connect and command timeouts: a stopped server must fail calls at once, not hold them.
        return new PrivatePostgres(folder, port, connectionString + ";Timeout=5;Command Timeout=15");
    }

    /// <summary>Stops it: <c>immediate</c> is a crash (connections cut, recovery at the next start), <c>fast</c> a clean stop.</summary>
    public async Task StopAsync(string mode = "immediate")
    {
        await RunAsync("stop", _folder, mode);
        IsUp = false;
    }

    /// <summary>Starts it again on its data, on the same port.</summary>
    public async Task RestartAsync()
    {
        await RunAsync("start", _folder, Port.ToString(System.Globalization.CultureInfo.InvariantCulture));
        IsUp = true;
    }

    public async ValueTask DisposeAsync()
    {
        try
        {
            await RunAsync("stop", _folder, "immediate");
        }
        finally
        {
            try
            {
                Directory.Delete(_folder, recursive: true);
            }
            catch (IOException)
            {
            }
        }
    }

    private static async Task<string> RunAsync(params string[] args)
    {
        var info = new ProcessStartInfo("bash") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        info.ArgumentList.Add(Script);
        foreach (var arg in args) info.ArgumentList.Add(arg);
        using var process = Process.Start(info)!;
        var output = process.StandardOutput.ReadToEndAsync();
        var errors = process.StandardError.ReadToEndAsync();
        using var deadline = new CancellationTokenSource(CommandDeadline);
        await process.WaitForExitAsync(deadline.Token);
        if (process.ExitCode != 0)
            throw new InvalidOperationException(
                $"postgres.sh {string.Join(' ', args)} exited {process.ExitCode} (it needs root and Debian's postgresql, as ./test.sh installs):\n{await output}\n{await errors}");
        return await output;
    }

    private static string Script
    {
        get
        {
            for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
            {
                var script = Path.Combine(dir.FullName, "tests", "servers", "postgres.sh");
                if (File.Exists(script)) return script;
            }
            throw new InvalidOperationException($"no tests/servers/postgres.sh above {AppContext.BaseDirectory}");
        }
    }
}
