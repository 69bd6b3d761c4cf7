namespace Focus.Analyzer.Sources.RabbitMq;

/// <summary>What the RabbitMQ live input needs from <c>Focus:Live</c>.</summary>
public sealed record RabbitMqSettings
{
    /// <summary>AMQP URI, e.g. <c>amqp://guest:guest@127.0.0.1:5672/</c>.</summary>
    public required Uri Broker { get; init; }

    /// <summary><c>x-max-length-bytes</c> of each job's queue.</summary>
    public long MaxQueueBytes { get; init; } = 64L * 1024 * 1024;

    /// <summary>Unacknowledged chunks a job's consumer may hold (basic.qos prefetch).</summary>
    public ushort Prefetch { get; init; } = 32;

    /// <summary>Time slots a job waits for a late or reordered chunk before it gives the slot up as a hole.</summary>
    public int ReorderWindow { get; init; } = 4;

    /// <summary>Most samples x job channels per chunk time slot (see <c>LiveOptions.MaxChunkValues</c>).</summary>
    public long MaxChunkValues { get; init; } = 16L * 1024 * 1024;

    /// <summary>What a Prpcast.Info may announce (see <see cref="FiberLimits"/>).</summary>
    public FiberLimits FiberLimits { get; init; } = FiberLimits.Default;

    /// <summary>How long a job's queue keeps its data bindings after its last reader left (a reader reopening at once costs no churn).</summary>
    public TimeSpan UnbindGrace { get; init; } = TimeSpan.FromSeconds(2);

    /// <summary>How long /configure waits for the broker before answering 503.</summary>
    public TimeSpan ConnectTimeout { get; init; } = TimeSpan.FromSeconds(3);

    /// <summary>Name this process shows in the broker's connection list.</summary>
    public string ClientName { get; init; } = "focus";
}
