using Google.Protobuf;

namespace Focus.Analyzer.Streaming;

/// <summary>
/// One line waiting in a <see cref="PullBuffer"/>: its time and, per stream of the job, the values exactly as that
/// stream's gRPC message carries them (shared with the message, not copied).
/// </summary>
public sealed record PullLine(long TimestampMs, PullSegment[] Segments);

/// <summary>One stream's part of a line: channels <see cref="FirstChannel"/>..<see cref="LastChannel"/>, float32 little-endian dB.</summary>
public readonly record struct PullSegment(int FirstChannel, int LastChannel, ByteString Values);

/// <summary>
/// What one pull took: up to the asked number of the oldest lines, and whether no line will ever come again
/// (the job ended, or a historic window was played out and every line taken).
/// </summary>
public sealed record PullTake(IReadOnlyList<PullLine> Lines, bool Ended, long DroppedSinceLastTake)
{
    public static PullTake Finished { get; } = new([], true, 0);
}
