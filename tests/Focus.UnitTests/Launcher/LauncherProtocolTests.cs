using Focus.Analyzer.Historic;
using Focus.Analyzer.Launcher;
using Focus.Analyzer.Pipeline;
using Focus.Analyzer.Streaming;
using Microsoft.Extensions.Logging;

namespace Focus.UnitTests.Launcher;

public sealed class LauncherProtocolTests
{
    private static readonly PipelineSpec Spec = new()
    {
        JobId = "7-1234", IsWaterfall = false, ChannelMin = 10, ChannelMax = 14, Prr = 2000, Hop = 20, Nfft = 1024,
        FirstBin = 0, BinCount = 257, StreamAmount = 5, StartSampleIndex = 3_481_574_400_000,
        Historic = new HistoricPlan { FirstSample = 1, EndSample = 2, Files = ["/data/a.h5", "/data/b.h5"], StorageRoot = "/data" },
    };

    [Fact]
    public void A_start_carries_the_whole_spec()
    {
        var line = LauncherProtocol.Write(new LauncherCommand { Command = LauncherCommand.Start, Spec = Spec });
        Assert.DoesNotContain('\n', line);
        Assert.True(LauncherProtocol.TryReadCommand(line, out var command, out var problem), problem);
        Assert.Equal(Spec with { Historic = null }, command.Spec! with { Historic = null });
        Assert.Equal(Spec.Historic!.Files, command.Spec!.Historic!.Files);
        Assert.Equal(Spec.Historic.StorageRoot, command.Spec.Historic.StorageRoot);
    }

    [Theory]
    [InlineData(JobEndKind.Cancelled, "job cancelled")]
    [InlineData(JobEndKind.Failed, "channels 10..14 left the fiber")]
    [InlineData(JobEndKind.Completed, "")]
    public void A_stop_carries_the_end_kind_and_reason(JobEndKind kind, string reason)
    {
        var line = LauncherProtocol.Write(new LauncherCommand { Command = LauncherCommand.Stop, End = new JobEnd(kind, reason) });
        Assert.True(LauncherProtocol.TryReadCommand(line, out var command, out _));
        Assert.Equal(new JobEnd(kind, reason), command.End);
    }

    [Fact]
    public void Progress_round_trips()
    {
        var snapshot = new JobProgress(2, 12345, 3, 7, DateTimeOffset.FromUnixTimeMilliseconds(1_740_787_200_123),
            DateTimeOffset.FromUnixTimeMilliseconds(1_740_787_201_000), "input lost", Completed: true);
        var line = LauncherProtocol.Write(new LauncherEvent { Event = LauncherEvent.Progress, Snapshot = snapshot });
        Assert.True(LauncherProtocol.TryReadEvent(line, out var e, out var problem), problem);
        Assert.Equal(snapshot, e.Snapshot);
    }

    [Fact]
    public void A_pull_and_its_answer_round_trip_with_the_values_bit_for_bit()
    {
        var pull = LauncherProtocol.Write(new LauncherCommand { Command = LauncherCommand.Pull, PullId = 42, MaxLines = 100, IdleTimeoutSeconds = 180 });
        Assert.True(LauncherProtocol.TryReadCommand(pull, out var command, out var problem), problem);
        Assert.Equal((42L, 100, 180.0), (command.PullId, command.MaxLines, command.IdleTimeoutSeconds));

        float[] values = [-41.25f, float.Epsilon, 35.5f];
        var line = new PullLine(1_764_940_394_277, [new PullSegment(10, 10, Google.Protobuf.ByteString.CopyFrom(System.Runtime.InteropServices.MemoryMarshal.AsBytes(values.AsSpan())))]);
        var pulled = LauncherProtocol.Write(new LauncherEvent { Event = LauncherEvent.Pulled, PullId = 42, Lines = [LauncherPullLine.From(line)], Ended = false, Dropped = 3 });
        Assert.True(LauncherProtocol.TryReadEvent(pulled, out var e, out problem), problem);
        var back = Assert.Single(e.Lines!).ToPullLine();
        Assert.Equal(line.TimestampMs, back.TimestampMs);
        Assert.Equal((10, 10), (back.Segments[0].FirstChannel, back.Segments[0].LastChannel));
        Assert.Equal(values, System.Runtime.InteropServices.MemoryMarshal.Cast<byte, float>(back.Segments[0].Values.Span).ToArray());
        Assert.Equal((42L, false, 3L), (e.PullId, e.Ended, e.Dropped));
    }

    [Fact]
    public void A_start_failure_keeps_its_kind_and_retry_hint()
    {
        var line = LauncherProtocol.Write(new LauncherEvent
        {
            Event = LauncherEvent.Failed, Failure = LauncherFailure.LiveInputUnavailable, Message = "broker down", RetryAfterSeconds = 5,
        });
        Assert.True(LauncherProtocol.TryReadEvent(line, out var e, out _));
        Assert.Equal((LauncherFailure.LiveInputUnavailable, "broker down", 5.0), (e.Failure, e.Message, e.RetryAfterSeconds));
    }

    [Theory]
    [InlineData(null, "empty line")]
    [InlineData("", "empty line")]
    [InlineData("   ", "empty line")]
    [InlineData("Unhandled exception. System.Exception: boom", "not a message")]
    [InlineData("[1,2]", "not a message")]
    [InlineData("null", "null")]
    [InlineData("{}", "not a message")]
    [InlineData("{\"event\":42}", "not a message")]
    [InlineData("{\"event\":\"started\"", "not a message")]
    [InlineData("{\"event\":\"bye\"}", "unknown event 'bye'")]
    [InlineData("{\"event\":\"started\"}", "started with port missing")]
    [InlineData("{\"event\":\"started\",\"port\":70000}", "started with port 70000")]
    [InlineData("{\"event\":\"progress\"}", "progress without snapshot")]
    [InlineData("{\"event\":\"progress\",\"snapshot\":{\"connectedClients\":\"many\"}}", "not a message")]
    [InlineData("{\"event\":\"failed\",\"message\":\"x\"}", "failed without failure and message")]
    [InlineData("{\"event\":\"pulled\",\"lines\":[]}", "pulled without pullId and lines")]
    public void A_line_that_is_not_an_event_is_refused_with_a_reason_never_thrown(string? line, string problem)
    {
        Assert.False(LauncherProtocol.TryReadEvent(line, out _, out var why));
        Assert.StartsWith(problem, why);
    }

    [Theory]
    [InlineData("{\"command\":\"start\"}", "start without spec")]
    [InlineData("{\"command\":\"stop\"}", "stop without end")]
    [InlineData("{\"command\":\"stop\",\"end\":{\"kind\":\"Exploded\",\"reason\":\"x\"}}", "not a message")]
    [InlineData("{\"command\":\"stop\",\"end\":{\"kind\":\"Cancelled\"}}", "stop without end.reason")]
    [InlineData("{\"command\":\"fiber\"}", "fiber without prpcastInfo")]
    [InlineData("{\"command\":\"reboot\"}", "unknown command 'reboot'")]
    [InlineData("{\"command\":\"pull\",\"pullId\":1,\"maxLines\":1001,\"idleTimeoutSeconds\":180}", "pull without pullId, maxLines 1..1000")]
    [InlineData("{\"command\":\"pull\",\"maxLines\":5,\"idleTimeoutSeconds\":180}", "pull without pullId, maxLines 1..1000")]
    [InlineData("{\"command\":\"start\",\"spec\":{\"jobId\":\"1-1\"}}", "not a message")]
    public void A_line_that_is_not_a_command_is_refused_with_a_reason_never_thrown(string line, string problem)
    {
        Assert.False(LauncherProtocol.TryReadCommand(line, out _, out var why));
        Assert.StartsWith(problem, why);
    }

    [Fact]
    public void An_overlong_line_is_refused_before_it_is_parsed()
    {
        var line = "{\"event\":\"stopped\",\"message\":\"" + new string('x', LauncherProtocol.MaxLineLength) + "\"}";
        Assert.False(LauncherProtocol.TryReadEvent(line, out _, out var why));
        Assert.StartsWith("line of", why);
    }

    [Theory]
    [InlineData(0, "exited with code 0")]
    [InlineData(2, "exited with code 2")]
    [InlineData(137, "was killed by signal 9 (SIGKILL) (exit code 137)")]
    [InlineData(143, "was killed by signal 15 (SIGTERM) (exit code 143)")]
    [InlineData(139, "was killed by signal 11 (SIGSEGV) (exit code 139)")]
    [InlineData(255, "exited with code 255")]
    public void An_exit_is_described_with_its_signal(int code, string description)
    {
        Assert.Equal(description, AnalyzerProcess.DescribeExitCode(code));
    }

    [Fact]
    public void The_childs_json_log_lines_keep_their_level_category_and_exception()
    {
        const string line = "{\"EventId\":4,\"LogLevel\":\"Warning\",\"Category\":\"Focus.Analyzer.Launcher.LaunchedJob\",\"Message\":\"The job could not start\",\"Exception\":\"System.Exception: boom\",\"State\":{}}";
        Assert.True(ChildLogLine.TryParse(line, out var level, out var category, out var message));
        Assert.Equal(LogLevel.Warning, level);
        Assert.Equal("Focus.Analyzer.Launcher.LaunchedJob", category);
        Assert.Equal("The job could not start" + Environment.NewLine + "System.Exception: boom", message);
    }

    [Theory]
    [InlineData("Unhandled exception. System.InvalidOperationException")]
    [InlineData("{\"LogLevel\":\"Loud\",\"Message\":\"x\"}")]
    [InlineData("{\"Message\":\"x\"}")]
    [InlineData("{broken")]
    [InlineData("[]")]
    public void Other_stderr_lines_are_not_taken_for_log_entries(string line)
    {
        Assert.False(ChildLogLine.TryParse(line, out _, out _, out _));
    }

    [Theory]
    [InlineData(new[] { "--job", "1-2", "--port", "50051" }, true, "1-2", 50051, 0)]
    [InlineData(new[] { "--job", "1-2", "--port", "50051", "--parent", "77", "--Focus:Analyzer:Engine=reference" }, true, "1-2", 50051, 77)]
    [InlineData(new[] { "--job", "1-2" }, false, "1-2", 0, 0)]
    [InlineData(new[] { "--job", "1-2", "--port", "0" }, false, "1-2", 0, 0)]
    [InlineData(new[] { "--job", "1-2", "--port", "x" }, false, "1-2", 0, 0)]
    [InlineData(new[] { "--port", "50051" }, false, "", 50051, 0)]
    [InlineData(new[] { "run" }, false, "", 0, 0)]
    [InlineData(new[] { "--spare", "--job", "1-2" }, false, "", 0, 0)]
    [InlineData(new[] { "--spare", "--port", "50051" }, false, "", 0, 0)]
    public void The_command_line_names_job_port_and_parent(string[] args, bool ok, string job, int port, int parent)
    {
        Assert.Equal(ok, AnalyzerCommandLine.TryParse(args, out var commandLine));
        if (ok) Assert.Equal((job, port, parent, false), (commandLine.JobId, commandLine.Port, commandLine.ParentPid, commandLine.IsSpare));
    }

    [Fact]
    public void A_spare_has_no_job_yet_and_room_for_one_on_its_command_line()
    {
        string[] args = [.. AnalyzerCommandLine.ForSpare(4711), "--Focus:Analyzer:Engine=reference"];
        Assert.True(AnalyzerCommandLine.TryParse(args, out var commandLine));
        Assert.True(commandLine.IsSpare);
        Assert.Equal(("", 0, 4711), (commandLine.JobId, commandLine.Port, commandLine.ParentPid));
        Assert.Equal(["--Focus:Analyzer:Engine=reference"], commandLine.Settings);
        var room = AnalyzerCommandLine.ForSpare(4711).Sum(a => a.Length + 1);
        Assert.True(AnalyzerCommandLine.ForJob(new string('7', 40), 65535, 4711).Sum(a => a.Length + 1) < room);
    }

    [Fact]
    public void A_start_carries_the_port_and_a_bad_port_is_refused()
    {
        var line = LauncherProtocol.Write(new LauncherCommand { Command = LauncherCommand.Start, Spec = Spec, Port = 50051 });
        Assert.True(LauncherProtocol.TryReadCommand(line, out var command, out var problem), problem);
        Assert.Equal(50051, command.Port);
        Assert.False(LauncherProtocol.TryReadCommand(line.Replace("50051", "70000", StringComparison.Ordinal), out _, out problem));
        Assert.Equal("start with port 70000", problem);
    }

    [Fact]
    public void Ready_is_an_event()
    {
        var line = LauncherProtocol.Write(new LauncherEvent { Event = LauncherEvent.Ready, WarmupSeconds = 1.5 });
        Assert.True(LauncherProtocol.TryReadEvent(line, out var e, out var problem), problem);
        Assert.Equal((LauncherEvent.Ready, 1.5), (e.Event, e.WarmupSeconds));
    }
}
