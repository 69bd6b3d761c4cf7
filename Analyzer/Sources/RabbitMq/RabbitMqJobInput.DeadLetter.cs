using RabbitMQ.Client;
using RabbitMQ.Client.Events;

namespace Focus.Analyzer.Sources.RabbitMq;

// CONTRACT §3's dead-lettering: a refused message is republished on prisma as dlq.{job} into the bounded prisma_dlq.
internal sealed partial class RabbitMqJobInput
{
    /// <summary>
    /// Bodies kept in a dead letter at most: prisma_dlq is bounded by count (x-max-length), so a hostile 100 MB chunk
    /// must not become 100 MB there; the headers keep the full length.
    /// </summary>
    internal const int DeadLetterMaxBody = 64 * 1024;

    private async Task DeadLetterAsync(IChannel channel, BasicDeliverEventArgs delivery, string contentType, string problem)
    {
        var body = delivery.Body;
        var properties = new BasicProperties
        {
            ContentType = contentType,
            Headers = new Dictionary<string, object?>
            {
                ["x-focus-job"] = _jobId,
                ["x-focus-problem"] = problem,
                ["x-focus-routing-key"] = delivery.RoutingKey,
                ["x-focus-body-bytes"] = body.Length,
            },
        };
        await channel.BasicPublishAsync(PrismaTopology.Exchange, PrismaTopology.DeadLetterRoutingKey(_jobId), false,
            properties, body[..Math.Min(body.Length, DeadLetterMaxBody)].ToArray());
    }
}
