using System.Diagnostics;
using System.Text.Json;
using Focus.Analyzer.Streaming;
using Microsoft.Extensions.Logging;

namespace Focus.Analyzer.Launcher;

/// <summary>
/// One analyzer process of a job, seen from the silo: its stdin for commands, its stdout read as events, its stderr
/// relogged under the job's id. <see cref="Exited"/> completes once the process is reaped and its output drained.
/// A spare (<see cref="StartSpareAsync"/>) has no job until <see cref="TakeAsync"/> gives it one.
/// </summary>
internal sealed partial class AnalyzerProcess : IAsyncDisposable
{
    private readonly Process _process;
    private readonly ILogger _logger;
    private readonly ILogger _childLogger;
    private readonly SemaphoreSlim _stdinGate = new(1, 1);
    private readonly TaskCompletionSource<LauncherEvent> _started = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly TaskCompletionSource<LauncherEvent> _ready = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private volatile string _jobId;                  // empty while a spare
    private volatile Action<LauncherEvent>? _onEvent; // null while a spare
    private long _lastHeard = Environment.TickCount64;

    private AnalyzerProcess(Process process, string jobId, ILogger logger, ILogger childLogger, Action<LauncherEvent>? onEvent)
    {
        _process = process;
        _jobId = jobId;
        _logger = logger;
        _childLogger = childLogger;
        _onEvent = onEvent;
    }

    public int Pid { get; private set; }

    /// <summary>The <c>started</c> or <c>failed</c> event; fails when the process exits before either.</summary>
    public Task<LauncherEvent> Started => _started.Task;

    /// <summary>A spare's <c>ready</c> (or <c>failed</c>) event; fails when the process exits before either.</summary>
    public Task<LauncherEvent> Ready => _ready.Task;

    /// <summary>The job this process serves, or empty for a spare.</summary>
    public string JobId => _jobId;

    /// <summary>Completes when the process has exited, was reaped and its stdout and stderr have ended.</summary>
    public Task Exited { get; private set; } = Task.CompletedTask;

    /// <summary>Time since the last event (progress comes 4 times a second).</summary>
    public TimeSpan Silence => TimeSpan.FromMilliseconds(Environment.TickCount64 - Interlocked.Read(ref _lastHeard));

    public bool HasExited => Exited.IsCompleted;

    /// <summary>The process's exit code (128 + N when signal N ended it), once <see cref="Exited"/>.</summary>
    public int ExitCode => _process.ExitCode;

    /// <summary>Starts the process for a job (off the caller's scheduler: fork and exec block) and sends it <paramref name="start"/>.</summary>
    public static async Task<AnalyzerProcess> StartAsync(ProcessStartInfo info, string jobId, LauncherCommand start,
        ILoggerFactory loggers, Action<LauncherEvent> onEvent)
    {
        var self = await LaunchAsync(info, jobId, loggers, onEvent);
        await self.SendAsync(start);
        return self;
    }

    /// <summary>Starts a spare: it warms up, then <see cref="Ready"/> completes, and it waits for <see cref="TakeAsync"/>.</summary>
    public static Task<AnalyzerProcess> StartSpareAsync(ProcessStartInfo info, ILoggerFactory loggers) =>
        LaunchAsync(info, "", loggers, onEvent: null);

    /// <summary>Gives a ready spare its job: from here on it is that job's process (events go to <paramref name="onEvent"/>).</summary>
    public async Task TakeAsync(string jobId, LauncherCommand start, Action<LauncherEvent> onEvent)
    {
        _jobId = jobId;
        _onEvent = onEvent;
        Interlocked.Exchange(ref _lastHeard, Environment.TickCount64); // silent while it waited; the job's watch starts now
        using (_logger.BeginScope(new JobLogScope(jobId))) LogTaken(_logger, Pid);
        await SendAsync(start);
    }

    private static async Task<AnalyzerProcess> LaunchAsync(ProcessStartInfo info, string jobId, ILoggerFactory loggers,
        Action<LauncherEvent>? onEvent)
    {
        var process = new Process { StartInfo = info };
        var self = new AnalyzerProcess(process, jobId, loggers.CreateLogger<AnalyzerProcess>(),
            loggers.CreateLogger("Focus.Analyzer.Process"), onEvent);
        await Task.Run(process.Start);
        self.Pid = process.Id;
        var stdout = Task.Run(self.ReadEventsAsync);
        var stderr = Task.Run(self.RelogAsync);
        self.Exited = Task.WhenAll(process.WaitForExitAsync(), stdout, stderr);
        _ = self.Exited.ContinueWith(_ =>
        {
            var exited = new AnalyzerProcessExitedException(self.DescribeExit());
            self._ready.TrySetException(exited);
            self._started.TrySetException(exited);
        }, TaskScheduler.Default);
        using (self.JobScope()) LogStarted(self._logger, self.Pid, jobId.Length == 0 ? "a spare" : "its job");
        return self;
    }

    /// <summary>The job's log scope, none for a spare.</summary>
    private IDisposable? JobScope() => _jobId is { Length: > 0 } jobId ? _logger.BeginScope(new JobLogScope(jobId)) : null;

    /// <summary>Writes a command; false when the process no longer reads (it exited or is exiting).</summary>
    public async Task<bool> SendAsync(LauncherCommand command)
    {
        var line = LauncherProtocol.Write(command);
        await _stdinGate.WaitAsync();
        try
        {
            await _process.StandardInput.WriteLineAsync(line);
            await _process.StandardInput.FlushAsync();
            return true;
        }
        catch (Exception ex) when (ex is IOException or ObjectDisposedException or InvalidOperationException)
        {
            return false;
        }
        finally
        {
            _stdinGate.Release();
        }
    }

    /// <summary>kill -9 of the process and anything it started; the caller awaits <see cref="Exited"/>.</summary>
    public void Kill()
    {
        try
        {
            _process.Kill(entireProcessTree: true);
        }
        catch (InvalidOperationException)
        {
            // already exited
        }
    }

    /// <summary>"exited with code 1", "killed by signal 9 (SIGKILL)": for logs and the job's failure reason.</summary>
    public string DescribeExit() => _process.HasExited ? $"analyzer process {Pid} {DescribeExitCode(_process.ExitCode)}" : $"analyzer process {Pid} is running";

    /// <summary>.NET reports a process ended by signal N as exit code 128 + N.</summary>
    public static string DescribeExitCode(int code) => code switch
    {
        > 128 and <= 128 + 64 => $"was killed by signal {code - 128}{SignalName(code - 128)} (exit code {code})",
        _ => $"exited with code {code}",
    };

    private static string SignalName(int signal) => signal switch
    {
        1 => " (SIGHUP)",
        2 => " (SIGINT)",
        6 => " (SIGABRT)",
        7 => " (SIGBUS)",
        9 => " (SIGKILL)",
        11 => " (SIGSEGV)",
        15 => " (SIGTERM)",
        _ => "",
    };

    private async Task ReadEventsAsync()
    {
        var stdout = _process.StandardOutput;
        while (await ReadLineAsync(stdout) is { } line)
        {
            Interlocked.Exchange(ref _lastHeard, Environment.TickCount64);
            if (!LauncherProtocol.TryReadEvent(line, out var e, out var problem))
            {
                using (JobScope()) LogBadEvent(_logger, Pid, problem);
                continue;
            }
            if (_onEvent is not { } onEvent)
            {
                // a spare: it says ready, or fails before (a bad configuration)
                if (e.Event is LauncherEvent.Ready or LauncherEvent.Failed) _ready.TrySetResult(e);
                continue;
            }
            if (e.Event is LauncherEvent.Started or LauncherEvent.Failed) _started.TrySetResult(e);
            try
            {
                onEvent(e);
            }
            catch (Exception ex)
            {
                using (JobScope()) LogEventFault(_logger, ex, e.Event);
            }
        }
    }

    private async Task RelogAsync()
    {
        var stderr = _process.StandardError;
        while (await ReadLineAsync(stderr) is { } line)
        {
            using var scope = _jobId is { Length: > 0 } jobId ? _childLogger.BeginScope(new JobLogScope(jobId)) : null;
            if (ChildLogLine.TryParse(line, out var level, out var category, out var message))
                LogChild(_childLogger, level, Pid, category, message);
            else if (line.Length > 0)
                LogChild(_childLogger, LogLevel.Warning, Pid, "stderr", line);
        }
    }

    /// <summary>A line, or null at the end; a broken pipe is the end too.</summary>
    private static async Task<string?> ReadLineAsync(StreamReader reader)
    {
        try
        {
            return await reader.ReadLineAsync();
        }
        catch (Exception ex) when (ex is IOException or ObjectDisposedException)
        {
            return null;
        }
    }

    public async ValueTask DisposeAsync()
    {
        Kill();
        await Exited;
        _process.Dispose();
        _stdinGate.Dispose();
    }

    [LoggerMessage(1, LogLevel.Information, "Analyzer process {Pid} started for {Purpose}")]
    private static partial void LogStarted(ILogger logger, int pid, string purpose);

    [LoggerMessage(5, LogLevel.Information, "Analyzer process {Pid} (a warm spare) took the job")]
    private static partial void LogTaken(ILogger logger, int pid);

    [LoggerMessage(2, LogLevel.Warning, "Analyzer process {Pid} wrote a line that is not an event, ignored: {Problem}")]
    private static partial void LogBadEvent(ILogger logger, int pid, string problem);

    [LoggerMessage(3, LogLevel.Error, "Handling event {Event} failed")]
    private static partial void LogEventFault(ILogger logger, Exception exception, string @event);

    [LoggerMessage(EventId = 4, Message = "[analyzer {Pid}] {Category}: {Message}")]
    private static partial void LogChild(ILogger logger, LogLevel level, int pid, string category, string message);
}

/// <summary>The job's process exited (or was killed as hung) while the job should run.</summary>
public sealed class AnalyzerProcessExitedException(string message) : Exception(message);

/// <summary>One line of an analyzer process's stderr: the JSON console format's level, category and message.</summary>
internal static class ChildLogLine
{
    public static bool TryParse(string line, out LogLevel level, out string category, out string message)
    {
        (level, category, message) = (LogLevel.Information, "", "");
        if (!line.StartsWith('{')) return false;
        try
        {
            using var doc = JsonDocument.Parse(line);
            var root = doc.RootElement;
            if (root.ValueKind != JsonValueKind.Object
                || !root.TryGetProperty("LogLevel", out var l) || !Enum.TryParse(l.GetString(), out level)
                || !root.TryGetProperty("Message", out var m)) return false;
            category = root.TryGetProperty("Category", out var c) ? c.GetString() ?? "" : "";
            message = m.GetString() ?? "";
            if (root.TryGetProperty("Exception", out var ex) && ex.GetString() is { Length: > 0 } exception)
                message += Environment.NewLine + exception;
            return true;
        }
        catch (Exception e) when (e is JsonException or InvalidOperationException)
        {
            return false;
        }
    }
}
