namespace Focus.Analyzer.Sources;

/// <summary><c>Focus:Live</c>: where live data comes from.</summary>
public sealed class LiveOptions
{
    public const string Section = "Focus:Live";

    /// <summary><c>simulator</c> (built in) or <c>rabbitmq</c>.</summary>
    public LiveSource Source { get; set; } = LiveSource.Simulator;

    /// <summary>AMQP URI of the recorder's broker, e.g. <c>amqp://guest:guest@127.0.0.1:5672/</c> (rabbitmq only).</summary>
    public string Broker { get; set; } = "";

    /// <summary><c>x-max-length-bytes</c> of each job's queue.</summary>
    public long MaxQueueBytes { get; set; } = 64L * 1024 * 1024;

    /// <summary>Unacknowledged chunks a job's consumer holds (basic.qos prefetch).</summary>
    public int Prefetch { get; set; } = 32;

    /// <summary>Chunks (~100 ms each) a job waits for a reordered chunk before it leaves a hole.</summary>
    public int ReorderWindow { get; set; } = 4;

    /// <summary>
    /// Most samples x job channels one chunk's time slot may hold (64 MiB of float32 by default; 100 ms of 20,000
    /// channels at 8 kHz fit): a larger DataChunk is refused and dead-lettered instead of allocated.
    /// </summary>
    public long MaxChunkValues { get; set; } = 16L * 1024 * 1024;

    /// <summary>Most channels a Prpcast.Info may announce; a larger count is refused (the last good fiber stays).</summary>
    public int MaxChannels { get; set; } = 200_000;

    /// <summary>Highest prr (Hz) a Prpcast.Info may announce.</summary>
    public double MaxPrr { get; set; } = 1_000_000;
}
