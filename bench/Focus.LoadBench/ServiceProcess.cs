using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Runtime.InteropServices;

namespace Focus.LoadBench;

/// <summary>
/// One process of the service under test, <c>dotnet Silo/bin/Release/net10.0/Focus.Silo.dll</c> (or
/// <c>Gateway/…/Focus.Gateway.dll</c>) with the bench's arguments. Its output goes to a log file;
/// warnings and errors are counted by kind.
/// </summary>
internal sealed partial class ServiceProcess : IAsyncDisposable
{
    private readonly Process _process;
    private readonly StreamWriter _log;
    private readonly Lock _gate = new();
    private readonly Dictionary<string, (int Count, string Example)> _kinds = [];
    private string? _pendingHeader;
    private int _problemCount;

    private ServiceProcess(string name, Process process, StreamWriter log, string logPath, Uri baseAddress, string commandLine)
    {
        Name = name;
        _process = process;
        Pid = process.Id;
        _log = log;
        LogPath = logPath;
        BaseAddress = baseAddress;
        CommandLine = commandLine;
    }

    /// <summary>What the report calls it: <c>silo</c>, <c>silo-0</c>, <c>gateway</c>, <c>init-db</c>.</summary>
    public string Name { get; }

    public int Pid { get; }

    public Uri BaseAddress { get; }

    public string LogPath { get; }

    public string CommandLine { get; }

    public bool HasExited => _process.HasExited;

    public int ExitCode => _process.ExitCode;

    /// <summary>Log entries at warning level or above (and stderr lines).</summary>
    public int ProblemCount
    {
        get { lock (_gate) return _problemCount; }
    }

    /// <summary><c>dotnet build</c> of the given projects (Silo, Gateway), Release.</summary>
    public static void Build(string repoRoot, params string[] projects)
    {
        foreach (var project in projects)
        {
            Console.Error.WriteLine($"building: dotnet build {project} -c Release");
            using var build = Process.Start(new ProcessStartInfo("dotnet", ["build", project, "-c", "Release", "-nologo", "-v", "q"])
            {
                WorkingDirectory = repoRoot,
                RedirectStandardOutput = true,
                RedirectStandardError = true,
            })!;
            var output = build.StandardOutput.ReadToEndAsync();
            var errors = build.StandardError.ReadToEndAsync();
            build.WaitForExit();
            if (build.ExitCode != 0)
                throw new InvalidOperationException($"dotnet build {project} failed ({build.ExitCode}):\n{output.Result}\n{errors.Result}");
        }
    }

    /// <summary>The built assembly of a project folder (<c>Silo</c> → <c>Silo/bin/Release/net10.0/Focus.Silo.dll</c>).</summary>
    public static string Binary(string repoRoot, string project)
    {
        var dll = Path.Combine(repoRoot, project, "bin", "Release", "net10.0", $"Focus.{project}.dll");
        return File.Exists(dll) ? dll : throw new FileNotFoundException($"build it first (dotnet build {project} -c Release)", dll);
    }

    /// <summary>Starts <c>dotnet DLL ARGS</c> in the project's folder; <paramref name="baseAddress"/> is where it serves HTTP.</summary>
    public static ServiceProcess Start(string name, string repoRoot, string project, IReadOnlyList<string> args, Uri baseAddress)
    {
        var dll = Binary(repoRoot, project);
        var logPath = Path.Combine(Path.GetTempPath(), $"focus-loadbench-{name}-{Environment.ProcessId}.log");
        var log = new StreamWriter(logPath, append: false) { AutoFlush = true };
        var psi = new ProcessStartInfo("dotnet")
        {
            WorkingDirectory = Path.Combine(repoRoot, project),
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        psi.ArgumentList.Add(dll);
        foreach (var arg in args) psi.ArgumentList.Add(arg);
        psi.Environment["DOTNET_ENVIRONMENT"] = "Production";
        psi.Environment["ASPNETCORE_ENVIRONMENT"] = "Production";
        var process = Process.Start(psi) ?? throw new InvalidOperationException($"could not start {name}");
        var commandLine = "dotnet " + string.Join(' ', new[] { dll }.Concat(args).Select(a => a.Replace(repoRoot + "/", "", StringComparison.Ordinal)));
        var service = new ServiceProcess(name, process, log, logPath, baseAddress, commandLine);
        process.OutputDataReceived += (_, e) => service.OnLine(e.Data, stderr: false);
        process.ErrorDataReceived += (_, e) => service.OnLine(e.Data, stderr: true);
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        return service;
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

    /// <summary>Waits until every one of <paramref name="paths"/> (e.g. <c>health/ready</c>, <c>channels</c>) answers 200.</summary>
    public async Task WaitReadyAsync(HttpClient http, TimeSpan timeout, CancellationToken ct, params string[] paths)
    {
        var sw = Stopwatch.StartNew();
        while (sw.Elapsed < timeout)
        {
            if (_process.HasExited) throw new InvalidOperationException($"{Name} exited with {_process.ExitCode}; see {LogPath}");
            if (await AllOkAsync()) return;
            await Task.Delay(200, ct);
        }
        throw new TimeoutException($"{Name}: {string.Join(" and ", paths.Select(p => "/" + p))} not 200 after {timeout}; see {LogPath}");

        async Task<bool> AllOkAsync()
        {
            foreach (var path in paths)
            {
                try
                {
                    using var timeoutCts = CancellationTokenSource.CreateLinkedTokenSource(ct);
                    timeoutCts.CancelAfter(TimeSpan.FromSeconds(10));
                    using var response = await http.GetAsync(new Uri(BaseAddress, path), timeoutCts.Token);
                    if (response.StatusCode != HttpStatusCode.OK) return false;
                }
                catch (HttpRequestException) { return false; }
                catch (TaskCanceledException) when (!ct.IsCancellationRequested) { return false; }
            }
            return true;
        }
    }

    /// <summary>Waits for the process to exit by itself (init-db); kills it after <paramref name="timeout"/>.</summary>
    public async Task<int> WaitForExitAsync(TimeSpan timeout, CancellationToken ct)
    {
        using var cts = CancellationTokenSource.CreateLinkedTokenSource(ct);
        cts.CancelAfter(timeout);
        try
        {
            await _process.WaitForExitAsync(cts.Token);
            return _process.ExitCode;
        }
        catch (OperationCanceledException) when (!ct.IsCancellationRequested)
        {
            KillNow();
            throw new TimeoutException($"{Name} did not exit within {timeout}; see {LogPath}");
        }
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

    /// <summary>Kills the process (by its own handle) if it still runs; safe to call from any exit path.</summary>
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

    /// <summary>True once the process is gone from /proc (or only a zombie): the check for orphans after the run.</summary>
    public bool IsGone()
    {
        try
        {
            var stat = File.ReadAllText($"/proc/{Pid}/stat");
            return stat[(stat.LastIndexOf(')') + 2)] == 'Z';
        }
        catch (IOException)
        {
            return true;
        }
    }

    /// <summary>
    /// A port free now, below the Linux ephemeral range (32768+) so that no outgoing connection of any process on
    /// this busy machine takes it before the child binds it, and never one this bench handed out before.
    /// </summary>
    public static int FreePort() => FreeRange(1).First;

    private static readonly HashSet<int> HandedOut = [];

    /// <summary>A range of <paramref name="count"/> ports, free now, away from the default 50051-50450 and from the ports handed out before.</summary>
    public static (int First, int Last) FreeRange(int count)
    {
        var random = new Random();
        for (var attempt = 0; attempt < 200; attempt++)
        {
            var first = random.Next(20000, 32000 - count);
            var last = first + count - 1;
            lock (HandedOut)
            {
                if (HandedOut.Any(p => p >= first && p <= last)) continue;
                if (!Enumerable.Range(first, count).All(IsFree)) continue;
                HandedOut.UnionWith(Enumerable.Range(first, count));
                return (first, last);
            }
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
