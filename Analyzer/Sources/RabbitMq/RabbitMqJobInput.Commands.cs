using RabbitMQ.Client;
using RabbitMQ.Client.Events;

namespace Focus.Analyzer.Sources.RabbitMq;

// Commands on baby_analyzer.commands.{job}: applied, or dead-lettered to prisma_dlq when malformed.
internal sealed partial class RabbitMqJobInput
{
    private async Task OnCommandAsync(IChannel channel, BasicDeliverEventArgs delivery)
    {
        var command = LiveCommand.Parse(delivery.Body.Span);
        if (command.Problem is null && command.Type == LiveCommandType.RegionOfInterest)
            command = await ApplyRegionOfInterestAsync(channel, command);
        var type = command.Problem is null ? command.Type.ToString() : "malformed";
        _instruments.Commands.Add(1, new KeyValuePair<string, object?>("type", type));
        if (command.Problem is { } problem)
        {
            Interlocked.Increment(ref _rejected);
            LogCommandRefused(problem);
            await DeadLetterAsync(channel, delivery, "application/json", problem);
            return;
        }
        switch (command.Type)
        {
            case LiveCommandType.Keepalive:
                Interlocked.Exchange(ref _lastKeepaliveTicks, _clock.GetUtcNow().UtcTicks);
                LogKeepalive(command.Text ?? "");
                break;
            default:
                LogCommand(command.Type.ToString());
                break;
        }
    }
}
