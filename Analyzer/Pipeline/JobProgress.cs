namespace Focus.Analyzer.Pipeline;

/// <summary>
/// A snapshot of a running job's data plane, read by its grain on a timer (never per line).
/// <see cref="LastReadAt"/> is the last moment a client was connected (now, while one is).
/// <see cref="Completed"/>: a call of a historic job has played its window to the end.
/// </summary>
public sealed record JobProgress(
    int ConnectedClients,
    long LinesEmitted,
    long Gaps,
    long DroppedLines,
    DateTimeOffset? FirstLineAt,
    DateTimeOffset LastReadAt,
    string? Fault,
    bool Completed = false);
