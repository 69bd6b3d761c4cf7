using System.Threading.Channels;
using Focus.Analyzer.Pipeline;
using Focus.Analyzer.Sources.RabbitMq;
using Focus.Analyzer.Sources.RabbitMq.Protos;
using Focus.Analyzer.Streaming;
using Microsoft.Extensions.Logging;

namespace Focus.Analyzer.Launcher;

/// <summary>
/// The analyzer process's side of the launcher: one job, run by the same in-process <see cref="AnalyzerHost"/> a silo
/// uses, commanded by the silo on stdin and reporting on stdout (<see cref="LauncherProtocol"/>). It ends on a
/// <c>stop</c>, and also when stdin ends or the process is reparented (the silo died): then the streams end ABORTED.
/// </summary>
internal sealed partial class LaunchedJob(AnalyzerHost host, RecorderFiber? fiber, ILogger<LaunchedJob> logger)
{
    /// <summary>How often progress is reported; the silo takes it as the heartbeat.</summary>
    public static readonly TimeSpan ReportInterval = TimeSpan.FromMilliseconds(250);

    public const int ExitStopped = 0;
    public const int ExitStartFailed = 2;
    public const int ExitParentGone = 3;

    private static readonly JobEnd ParentGone = new(JobEndKind.Failed, "the silo running this analyzer is gone");

    private readonly Lock _writeGate = new();
    private TextWriter _events = TextWriter.Null;
    private volatile bool _parentGone;

    /// <summary>
    /// Runs the job <paramref name="commandLine"/> names, or for a spare first <paramref name="warmUp"/>, then
    /// <c>ready</c>, then whichever job its <c>start</c> brings.
    /// </summary>
    public async Task<int> RunAsync(AnalyzerCommandLine commandLine, TextReader commands, TextWriter events, Task parentGone,
        Func<CancellationToken, Task<TimeSpan>>? warmUp = null)
    {
        _events = events;
        var inbox = Channel.CreateUnbounded<LauncherCommand>(new UnboundedChannelOptions { SingleReader = true, SingleWriter = true });
        // Console stdin reads block a thread even when called async: its own thread, not one of the pool's few.
        new Thread(() => ReadCommands(commands, inbox.Writer)) { IsBackground = true, Name = "Launcher stdin" }.Start();

        using var warming = new CancellationTokenSource();
        var warm = commandLine.IsSpare && warmUp is not null ? warmUp(warming.Token) : null;
        try
        {
            if (warm is not null)
            {
                // A start that comes while warming (the silo had no ready spare) ends the warm-up: what it compiled so
                // far is kept. A silo that is gone (stdin ended, or it was reparented) ends the spare.
                var done = await Task.WhenAny(warm, parentGone, inbox.Reader.WaitToReadAsync().AsTask());
                if (done == warm) Send(new LauncherEvent { Event = LauncherEvent.Ready, WarmupSeconds = (await warm).TotalSeconds });
                else await warming.CancelAsync();
                if (_parentGone || done == parentGone) return ExitParentGone;
            }

            if (await NextCommandAsync(inbox.Reader, parentGone) is not { } start) return ExitParentGone;
            var jobId = commandLine.IsSpare ? start.Spec?.JobId ?? "" : commandLine.JobId;
            var port = start.Port ?? commandLine.Port;
            using var scope = logger.BeginScope(new JobLogScope(jobId));
            if (start.Command != LauncherCommand.Start || start.Spec is not { } spec || spec.JobId != jobId
                || port == 0 || (!commandLine.IsSpare && port != commandLine.Port))
            {
                var expected = commandLine.IsSpare ? "a start with spec and port" : $"the start of job {commandLine.JobId} on port {commandLine.Port}";
                Send(new LauncherEvent { Event = LauncherEvent.Failed, Failure = LauncherFailure.Invalid, Message = $"expected {expected} first, got {start.Command} of {start.Spec?.JobId} on port {start.Port}" });
                return ExitStartFailed;
            }
            if (commandLine.IsSpare && !ProcessTitle.TryReplaceArguments("--spare", AnalyzerCommandLine.ForJob(jobId, port, commandLine.ParentPid)))
                LogTitleUnchanged();
            if (start.PrpcastInfo is { } info) UpdateFiber(info);

            IAnalyzerJob job;
            try
            {
                job = await host.StartAsync(spec, port, CancellationToken.None);
            }
            catch (Exception ex)
            {
                var (failure, retryAfter) = ex switch
                {
                    StreamPortUnavailableException => (LauncherFailure.PortInUse, (TimeSpan?)null),
                    LiveInputUnavailableException live => (LauncherFailure.LiveInputUnavailable, live.RetryAfter),
                    ArgumentException => (LauncherFailure.Invalid, null),
                    _ => (LauncherFailure.Error, null),
                };
                LogStartFailed(ex, failure);
                Send(new LauncherEvent { Event = LauncherEvent.Failed, Failure = failure, Message = ex.Message, RetryAfterSeconds = retryAfter?.TotalSeconds });
                return ExitStartFailed;
            }

            Send(new LauncherEvent { Event = LauncherEvent.Started, Port = job.Port, Queue = job.Queue });
            using var reporting = new CancellationTokenSource();
            var reporter = ReportAsync(job, reporting.Token);
            JobEnd end;
            while (true)
            {
                var command = _parentGone ? null : await NextCommandAsync(inbox.Reader, parentGone);
                if (command is null)
                {
                    end = ParentGone;
                    break;
                }
                if (command is { Command: LauncherCommand.Stop, End: { } asked })
                {
                    end = asked;
                    break;
                }
                if (command is { Command: LauncherCommand.Pull, PullId: { } pullId, MaxLines: { } maxLines, IdleTimeoutSeconds: { } idle })
                {
                    var take = await job.PullAsync(maxLines, TimeSpan.FromSeconds(idle), LauncherProtocol.MaxPullBytes);
                    Send(new LauncherEvent
                    {
                        Event = LauncherEvent.Pulled, PullId = pullId, Lines = [.. take.Lines.Select(LauncherPullLine.From)],
                        Ended = take.Ended, Dropped = take.DroppedSinceLastTake,
                    });
                }
                else if (command is { Command: LauncherCommand.Fiber, PrpcastInfo: { } update }) UpdateFiber(update);
                else LogIgnored(command.Command);
            }

            await reporting.CancelAsync();
            await reporter;
            await job.StopAsync(end);
            LogStopped(end.Kind, end.Reason);
            if (end == ParentGone) return ExitParentGone;
            Send(new LauncherEvent { Event = LauncherEvent.Stopped });
            return ExitStopped;
        }
        finally
        {
            // Not before the warm-up has let go of what it uses (a cancelled one ends within moments).
            if (warm is not null) await warm.ContinueWith(static _ => { }, TaskScheduler.Default);
        }
    }

    /// <summary>The next well-formed command, or null when stdin ended or the parent went away.</summary>
    private async Task<LauncherCommand?> NextCommandAsync(ChannelReader<LauncherCommand> inbox, Task parentGone)
    {
        var next = inbox.WaitToReadAsync().AsTask();
        if (await Task.WhenAny(next, parentGone) == parentGone || !await next || !inbox.TryRead(out var command))
        {
            _parentGone = true;
            LogParentGone();
            return null;
        }
        return command;
    }

    private void ReadCommands(TextReader commands, ChannelWriter<LauncherCommand> inbox)
    {
        try
        {
            while (commands.ReadLine() is { } line)
            {
                if (LauncherProtocol.TryReadCommand(line, out var command, out var problem)) inbox.TryWrite(command);
                else LogBadCommand(problem);
            }
        }
        catch (IOException)
        {
            // the pipe broke: the same as its end
        }
        inbox.TryComplete();
    }

    private async Task ReportAsync(IAnalyzerJob job, CancellationToken cancellationToken)
    {
        using var timer = new PeriodicTimer(ReportInterval);
        try
        {
            do Send(new LauncherEvent { Event = LauncherEvent.Progress, Snapshot = job.Progress });
            while (await timer.WaitForNextTickAsync(cancellationToken));
        }
        catch (OperationCanceledException)
        {
            // stopping
        }
    }

    private void Send(LauncherEvent e)
    {
        var line = LauncherProtocol.Write(e);
        lock (_writeGate)
        {
            try
            {
                _events.WriteLine(line);
                _events.Flush();
            }
            catch (IOException)
            {
                _parentGone = true; // nobody reads stdout any more
            }
        }
    }

    private void UpdateFiber(string base64)
    {
        try
        {
            var info = PrpcastInfo.Parser.ParseFrom(Convert.FromBase64String(base64));
            if ((fiber?.Limits ?? FiberLimits.Default).Problem(info) is { } problem) LogBadCommand($"fiber: {problem}");
            else fiber?.Update(info);
        }
        catch (Exception ex) when (ex is FormatException or Google.Protobuf.InvalidProtocolBufferException)
        {
            LogBadCommand($"fiber: {ex.Message}");
        }
    }

    [LoggerMessage(1, LogLevel.Warning, "Command ignored: {Problem}")]
    private partial void LogBadCommand(string problem);

    [LoggerMessage(2, LogLevel.Warning, "Command {Command} ignored while the job runs")]
    private partial void LogIgnored(string command);

    [LoggerMessage(3, LogLevel.Warning, "The silo is gone (stdin ended or the process was reparented): stopping the job")]
    private partial void LogParentGone();

    [LoggerMessage(4, LogLevel.Warning, "The job could not start ({Failure})")]
    private partial void LogStartFailed(Exception exception, string failure);

    [LoggerMessage(6, LogLevel.Debug, "The command line could not be rewritten to name the job: ps shows this process as a spare")]
    private partial void LogTitleUnchanged();

    [LoggerMessage(5, LogLevel.Information, "Job stopped ({Kind}: {Reason})")]
    private partial void LogStopped(JobEndKind kind, string reason);
}
