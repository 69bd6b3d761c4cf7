using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Runtime.InteropServices;

namespace Focus.LoadBench;

/// <summary>
/// The real service as a child process: <c>dotnet Silo/bin/Release/net10.0/Focus.Silo.dll</c> on its own free
/// HTTP, Orleans and stream ports. Its output goes to a log file; warnings and errors are counted.
/// </summary>
internal sealed partial class SiloProcess : IAsyncDisposable
{
    private readonly Process _process;
    private readonly StreamWriter _log;
    private readonly Lock _gate = new();
    private readonly Dictionary<string, (int Count, string Example)> _kinds = [];
    private string? _pendingHeader;
    private int _problemCount;

    private SiloProcess(Process process, StreamWriter log, string logPath, Uri baseAddress, string commandLine,
        (int First, int Last) streamPorts)
    {
        _process = process;
        _log = log;
        LogPath = logPath;
        BaseAddress = baseAddress;
        CommandLine = commandLine;
        StreamPorts = streamPorts;
    }

    public int Pid => _process.Id;

    public Uri BaseAddress { get; }

    public string LogPath { get; }

    public string CommandLine { get; }

    public (int First, int Last) StreamPorts { get; }

    public bool HasExited => _process.HasExited;

    /// <summary>Log entries at warning level or above (and stderr lines).</summary>
    public int ProblemCount
    {
        get { lock (_gate) return _problemCount; }
    }

    public static void Build(string repoRoot)
    {
        Console.Error.WriteLine("building: dotnet build Silo -c Release");
        using var build = Process.Start(new ProcessStartInfo("dotnet", ["build", "Silo", "-c", "Release", "-nologo", "-v", "q"])
        {
            WorkingDirectory = repoRoot,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        })!;
        var output = build.StandardOutput.ReadToEndAsync();
        var errors = build.StandardError.ReadToEndAsync();
        build.WaitForExit();
        if (build.ExitCode != 0)
            throw new InvalidOperationException($"dotnet build Silo failed ({build.ExitCode}):\n{output.Result}\n{errors.Result}");
    }

    public static SiloProcess Start(string repoRoot, int maxJobs, IEnumerable<string> extraArgs)
    {
        var dll = Path.Combine(repoRoot, "Silo", "bin", "Release", "net10.0", "Focus.Silo.dll");
        if (!File.Exists(dll)) throw new FileNotFoundException("build the silo first (dotnet build Silo -c Release)", dll);

        var httpPort = FreePort();
        var siloPort = FreePort();
        var gatewayPort = FreePort();
        var streams = FreeRange(maxJobs + 60);
        string[] args =
        [
            dll,
            $"--Urls=http://127.0.0.1:{httpPort}",
            $"--Focus:Cluster:SiloPort={siloPort}",
            $"--Focus:Cluster:GatewayPort={gatewayPort}",
            $"--Focus:Streams:PortRange={streams.First}-{streams.Last}",
            "--Focus:Streams:BindAddress=127.0.0.1",
            $"--Focus:Jobs:MaxConcurrent={Math.Max(200, maxJobs)}",
            "--Focus:Jobs:IdleTimeout=00:15:00", // unread jobs must outlive the bench
            "--Logging:LogLevel:Default=Warning",
            "--Logging:LogLevel:Orleans.Runtime.Silo=Warning",
            .. extraArgs,
        ];
        var logPath = Path.Combine(Path.GetTempPath(), $"focus-loadbench-silo-{Environment.ProcessId}.log");
        var log = new StreamWriter(logPath, append: false) { AutoFlush = true };
        var psi = new ProcessStartInfo("dotnet", args)
        {
            WorkingDirectory = Path.Combine(repoRoot, "Silo"),
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        psi.Environment["DOTNET_ENVIRONMENT"] = "Production";
        psi.Environment["ASPNETCORE_ENVIRONMENT"] = "Production";
        var process = Process.Start(psi) ?? throw new InvalidOperationException("could not start the silo");
        var silo = new SiloProcess(process, log, logPath, new Uri($"http://127.0.0.1:{httpPort}/"),
            "dotnet " + string.Join(' ', args.Select(a => a.Replace(repoRoot + "/", "", StringComparison.Ordinal))), streams);
        process.OutputDataReceived += (_, e) => silo.OnLine(e.Data, stderr: false);
        process.ErrorDataReceived += (_, e) => silo.OnLine(e.Data, stderr: true);
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        return silo;
    }

    private void OnLine(string? line, bool stderr)
    {
        if (line is null) return;
        lock (_gate)
        {
            _log.WriteLine(line);
            // the simple console formatter writes "<time> warn: Category[id]" (or fail:/crit:), then indented
            // lines: "=> scopes" and the message
            if (stderr || line.Contains(" warn: ", StringComparison.Ordinal) || line.Contains(" fail: ", StringComparison.Ordinal)
                || line.Contains(" crit: ", StringComparison.Ordinal))
            {
                _problemCount++;
                var header = line.Length > 0 && char.IsDigit(line[0]) && line.IndexOf(' ') is var sp and > 0 ? line[(sp + 1)..] : line;
                _pendingHeader = stderr ? null : System.Text.RegularExpressions.Regex.Replace(header, @"\[\d+\]$", "");
                if (stderr) Count("stderr: " + line);
                return;
            }
            if (_pendingHeader is null) return;
            var trimmed = line.Trim();
            if (trimmed.StartsWith("=>", StringComparison.Ordinal)) return;
            Count(_pendingHeader + " — " + trimmed);
            _pendingHeader = null;
        }
    }

    private void Count(string text)
    {
        // numbers vary from one occurrence to the next: group by the text with digits folded
        var key = System.Text.RegularExpressions.Regex.Replace(text.Length > 400 ? text[..400] : text, @"\d+(\.\d+)?", "#");
        if (_kinds.TryGetValue(key, out var kind)) _kinds[key] = (kind.Count + 1, kind.Example);
        else _kinds[key] = (1, text.Length > 400 ? text[..400] : text);
    }

    /// <summary>Warnings and errors by kind (digits folded), most frequent first, with one example each.</summary>
    public IReadOnlyList<(int Count, string Example)> ProblemKinds
    {
        get { lock (_gate) return [.. _kinds.Values.OrderByDescending(k => k.Count)]; }
    }

    /// <summary>Waits until <c>GET /channels</c> answers 200.</summary>
    public async Task WaitReadyAsync(HttpClient http, TimeSpan timeout)
    {
        var sw = Stopwatch.StartNew();
        while (sw.Elapsed < timeout)
        {
            if (_process.HasExited) throw new InvalidOperationException($"the silo exited with {_process.ExitCode}; see {LogPath}");
            try
            {
                using var response = await http.GetAsync(new Uri(BaseAddress, "channels"));
                if (response.StatusCode == HttpStatusCode.OK) return;
            }
            catch (HttpRequestException) { }
            await Task.Delay(200);
        }
        throw new TimeoutException($"/channels not 200 after {timeout}; see {LogPath}");
    }

    /// <summary>SIGTERM (graceful: jobs end CANCELLED, ports freed), then kill after <paramref name="grace"/>.</summary>
    public async Task<TimeSpan?> StopAsync(TimeSpan grace)
    {
        if (_process.HasExited) return TimeSpan.Zero;
        var sw = Stopwatch.StartNew();
        _ = Kill(_process.Id, 15);
        using var cts = new CancellationTokenSource(grace);
        try
        {
            await _process.WaitForExitAsync(cts.Token);
            return sw.Elapsed;
        }
        catch (OperationCanceledException)
        {
            KillNow();
            return null;
        }
    }

    /// <summary>Kills the silo (by its own handle) if it still runs; safe to call from any exit path.</summary>
    public void KillNow()
    {
        try
        {
            if (!_process.HasExited) _process.Kill(entireProcessTree: true);
        }
        catch (InvalidOperationException) { }
    }

    public async ValueTask DisposeAsync()
    {
        KillNow();
        try { await _process.WaitForExitAsync().WaitAsync(TimeSpan.FromSeconds(5)); }
        catch (TimeoutException) { }
        lock (_gate) _log.Dispose();
        _process.Dispose();
    }

    [LibraryImport("libc", EntryPoint = "kill", SetLastError = true)]
    private static partial int Kill(int pid, int signal);

    public static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    /// <summary>A range of <paramref name="count"/> ports, free now, away from the default 50051-50450.</summary>
    private static (int First, int Last) FreeRange(int count)
    {
        var random = new Random();
        for (var attempt = 0; attempt < 50; attempt++)
        {
            var first = random.Next(20000, 32000 - count); // below the Linux ephemeral range (32768+)
            if (Enumerable.Range(first, count).All(IsFree)) return (first, first + count - 1);
        }
        throw new InvalidOperationException("no free port range");
    }

    /// <summary>True when nothing listens on 127.0.0.1:port and it can be bound.</summary>
    public static bool IsFree(int port)
    {
        try
        {
            using var listener = new TcpListener(IPAddress.Loopback, port);
            listener.Start();
            return true;
        }
        catch (SocketException)
        {
            return false;
        }
    }
}
