using System.Diagnostics.Metrics;

namespace Focus.Analyzer.Sources.RabbitMq;

/// <summary>The RabbitMQ live input's metrics (meter <c>Focus</c>).</summary>
public sealed class LiveInstruments
{
    public LiveInstruments(IMeterFactory meterFactory)
    {
        var meter = meterFactory.Create("Focus");
        QueueDropped = meter.CreateCounter<long>("focus_queue_dropped",
            description: "Chunks a job never received: missing from a block's sequence for longer than the reorder window " +
                         "(its queue dropped them at x-max-length-bytes, or the broker lost them).");
        ChunksRejected = meter.CreateCounter<long>("focus_live_chunks_rejected",
            description: "Chunks a job received but did not use, by reason (malformed, duplicate, late, prr).");
        MetadataRejected = meter.CreateCounter<long>("focus_live_metadata_rejected",
            description: "Prpcast.Info messages refused (not a PrpcastInfo, or a fiber outside Focus:Live's limits); the last good fiber stays.");
        Commands = meter.CreateCounter<long>("focus_live_commands",
            description: "Commands received on jobs' queues, by type; malformed ones go to prisma_dlq.");
        QueueDropped.Add(0); // declared from the start (CONTRACT: dashboards and alerts refer to it)
    }

    public Counter<long> QueueDropped { get; }

    public Counter<long> ChunksRejected { get; }

    public Counter<long> Commands { get; }

    public Counter<long> MetadataRejected { get; }
}
