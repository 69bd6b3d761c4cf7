namespace Focus.Analyzer.Historic;

/// <summary>A call would start one playback more than <see cref="HistoricOptions.MaxConcurrentReplays"/> allows (gRPC RESOURCE_EXHAUSTED).</summary>
public sealed class ReplayLimitExceededException(int limit)
    : Exception($"the job already plays its window for {limit} replays at once ({HistoricOptions.Section}:MaxConcurrentReplays); retry when one has ended")
{
    public int Limit { get; } = limit;
}
