using System.Text.Json;
using System.Text.Json.Serialization;
using Focus.Analyzer.Pipeline;
using Focus.Analyzer.Streaming;
using Google.Protobuf;

namespace Focus.Analyzer.Launcher;

/// <summary>
/// What the silo tells an analyzer process, one JSON object a line on its stdin: <c>start</c> (the job's spec and port,
/// once, first; a spare gets it when a job takes it), <c>stop</c> (how the job ends, so streams end with the right gRPC status), <c>fiber</c> (the recorder's
/// latest Prpcast.Info, for a RabbitMQ job) and <c>pull</c> (GET /waterfall: take lines of the job's pull buffer). The end of stdin means the silo is gone.
/// </summary>
public sealed record LauncherCommand
{
    public const string Start = "start";
    public const string Stop = "stop";
    public const string Fiber = "fiber";
    public const string Pull = "pull";

    public required string Command { get; init; }

    /// <summary>For <c>pull</c>: echoed by its <c>pulled</c> event.</summary>
    public long? PullId { get; init; }

    /// <summary>For <c>pull</c>: lines to take at most (1..1000).</summary>
    public int? MaxLines { get; init; }

    /// <summary>For <c>pull</c>: the buffer closes after this long without a pull.</summary>
    public double? IdleTimeoutSeconds { get; init; }

    /// <summary>For <c>start</c>.</summary>
    public PipelineSpec? Spec { get; init; }

    /// <summary>For <c>start</c>: the port to serve (a spare learns it here; a process started for the job has it on its command line too).</summary>
    public int? Port { get; init; }

    /// <summary>For <c>stop</c>.</summary>
    public JobEnd? End { get; init; }

    /// <summary>For <c>start</c> (optional) and <c>fiber</c>: a <c>PrpcastInfo</c> message, base64.</summary>
    public string? PrpcastInfo { get; init; }
}

/// <summary>
/// What an analyzer process tells the silo, one JSON object a line on its stdout: <c>ready</c> (a spare has warmed up
/// and waits for a job), <c>started</c> (the port accepts calls), <c>failed</c> (it could not start: <see cref="Failure"/> says why), <c>progress</c> (every quarter second,
/// which is also its heartbeat), <c>pulled</c> (the answer to a <c>pull</c>) and <c>stopped</c> (after a <c>stop</c>, just before it exits).
/// </summary>
public sealed record LauncherEvent
{
    public const string Ready = "ready";
    public const string Started = "started";
    public const string Failed = "failed";
    public const string Progress = "progress";
    public const string Stopped = "stopped";
    public const string Pulled = "pulled";

    public required string Event { get; init; }

    /// <summary>For <c>pulled</c>: the <c>pull</c> it answers, the lines taken, whether the job's lines have ended, and drops since the last pull.</summary>
    public long? PullId { get; init; }

    public IReadOnlyList<LauncherPullLine>? Lines { get; init; }

    public bool? Ended { get; init; }

    public long? Dropped { get; init; }

    /// <summary>For <c>started</c>: the port it serves and the job's live queue (if any).</summary>
    public int? Port { get; init; }

    public string? Queue { get; init; }

    /// <summary>For <c>progress</c>.</summary>
    public JobProgress? Snapshot { get; init; }

    /// <summary>For <c>ready</c>: how long the spare took to warm up.</summary>
    public double? WarmupSeconds { get; init; }

    /// <summary>For <c>failed</c>: one of <see cref="LauncherFailure"/>'s kinds, with the message and a retry hint.</summary>
    public string? Failure { get; init; }

    public string? Message { get; init; }

    public double? RetryAfterSeconds { get; init; }
}

/// <summary>A pulled line on the launcher's wire (<see cref="PullLine"/> with its values as base64).</summary>
public sealed record LauncherPullLine(long TimestampMs, IReadOnlyList<LauncherPullSegment> Segments)
{
    public static LauncherPullLine From(PullLine line) =>
        new(line.TimestampMs, [.. line.Segments.Select(s => new LauncherPullSegment(s.FirstChannel, s.LastChannel, s.Values.ToByteArray()))]);

    public PullLine ToPullLine() =>
        new(TimestampMs, [.. Segments.Select(s => new PullSegment(s.FirstChannel, s.LastChannel, UnsafeByteOperations.UnsafeWrap(s.Values)))]);
}

public sealed record LauncherPullSegment(int FirstChannel, int LastChannel, byte[] Values);

/// <summary>Why an analyzer process could not start, so the silo answers as an in-process start would.</summary>
public static class LauncherFailure
{
    /// <summary>The port is held by another process (the worker tries another port).</summary>
    public const string PortInUse = "port_in_use";
    /// <summary>The live input is unreachable (503 with Retry-After).</summary>
    public const string LiveInputUnavailable = "live_input_unavailable";
    /// <summary>The spec or the process's configuration is wrong.</summary>
    public const string Invalid = "invalid";
    /// <summary>Anything else.</summary>
    public const string Error = "error";
}

/// <summary>Reads and writes the launcher's lines; a line that is not a well-formed message is refused with a reason, never thrown.</summary>
public static class LauncherProtocol
{
    /// <summary>The longest line either side reads; a start carrying a long historic plan stays far below it.</summary>
    public const int MaxLineLength = 4 * 1024 * 1024;

    /// <summary>Values one <c>pulled</c> event carries at most (base64 makes 2.7 MiB of them, under <see cref="MaxLineLength"/>); a pull may take fewer lines than asked.</summary>
    public const long MaxPullBytes = 2 * 1024 * 1024;

    public static string Write(LauncherCommand command) => JsonSerializer.Serialize(command, LauncherJson.Default.LauncherCommand);

    public static string Write(LauncherEvent e) => JsonSerializer.Serialize(e, LauncherJson.Default.LauncherEvent);

    public static bool TryReadCommand(string? line, out LauncherCommand command, out string problem)
    {
        command = null!;
        if (!TryDeserialize(line, LauncherJson.Default.LauncherCommand, out var parsed, out problem)) return false;
        problem = parsed.Command switch
        {
            LauncherCommand.Start when parsed.Spec is null => "start without spec",
            LauncherCommand.Start when parsed.Port is not (null or (>= 1 and <= 65535)) => $"start with port {parsed.Port}",
            LauncherCommand.Stop when parsed.End is null => "stop without end",
            LauncherCommand.Stop when parsed.End!.Reason is null => "stop without end.reason",
            LauncherCommand.Fiber when string.IsNullOrEmpty(parsed.PrpcastInfo) => "fiber without prpcastInfo",
            LauncherCommand.Pull when parsed.PullId is null || parsed.MaxLines is not (>= 1 and <= PullBuffer.MaxLines) || parsed.IdleTimeoutSeconds is not > 0
                => "pull without pullId, maxLines 1..1000 and a positive idleTimeoutSeconds",
            LauncherCommand.Start or LauncherCommand.Stop or LauncherCommand.Fiber or LauncherCommand.Pull => "",
            _ => $"unknown command '{parsed.Command}'",
        };
        if (problem.Length > 0) return false;
        command = parsed;
        return true;
    }

    public static bool TryReadEvent(string? line, out LauncherEvent e, out string problem)
    {
        e = null!;
        if (!TryDeserialize(line, LauncherJson.Default.LauncherEvent, out var parsed, out problem)) return false;
        problem = parsed.Event switch
        {
            LauncherEvent.Started when parsed.Port is not (>= 1 and <= 65535) => $"started with port {parsed.Port?.ToString() ?? "missing"}",
            LauncherEvent.Progress when parsed.Snapshot is null => "progress without snapshot",
            LauncherEvent.Failed when parsed.Failure is null || parsed.Message is null => "failed without failure and message",
            LauncherEvent.Pulled when parsed.PullId is null || parsed.Lines is null => "pulled without pullId and lines",
            LauncherEvent.Ready or LauncherEvent.Started or LauncherEvent.Progress or LauncherEvent.Failed or LauncherEvent.Stopped
                or LauncherEvent.Pulled => "",
            _ => $"unknown event '{parsed.Event}'",
        };
        if (problem.Length > 0) return false;
        e = parsed;
        return true;
    }

    private static bool TryDeserialize<T>(string? line, System.Text.Json.Serialization.Metadata.JsonTypeInfo<T> type, out T value, out string problem)
        where T : class
    {
        value = null!;
        if (string.IsNullOrWhiteSpace(line))
        {
            problem = "empty line";
            return false;
        }
        if (line.Length > MaxLineLength)
        {
            problem = $"line of {line.Length} characters (at most {MaxLineLength})";
            return false;
        }
        try
        {
            if (JsonSerializer.Deserialize(line, type) is not { } parsed)
            {
                problem = "null";
                return false;
            }
            value = parsed;
            problem = "";
            return true;
        }
        catch (JsonException ex)
        {
            problem = $"not a message: {ex.Message}";
            return false;
        }
    }
}

[JsonSourceGenerationOptions(PropertyNamingPolicy = JsonKnownNamingPolicy.CamelCase,
    DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
    UseStringEnumConverter = true,
    NumberHandling = JsonNumberHandling.AllowNamedFloatingPointLiterals)]
[JsonSerializable(typeof(LauncherCommand))]
[JsonSerializable(typeof(LauncherEvent))]
internal sealed partial class LauncherJson : JsonSerializerContext;
