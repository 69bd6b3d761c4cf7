using RabbitMQ.Client;

namespace Focus.Analyzer.Sources.RabbitMq;

// The job queue on the broker: its declaration and bindings, and moving them with a RegionOfInterestCommand.
internal sealed partial class RabbitMqJobInput
{
    private async Task<IChannel> OpenAndDeclareAsync(CancellationToken cancellationToken)
    {
        var channel = await _broker.OpenChannelAsync(cancellationToken);
        try
        {
            await DeclareAsync(channel, cancellationToken);
            LogRedeclared(Queue);
            return channel;
        }
        catch
        {
            await CloseQuietly(channel);
            throw;
        }
    }

    private async Task DeclareAsync(IChannel channel, CancellationToken cancellationToken)
    {
        await PrismaTopology.DeclareExchangeAsync(channel, cancellationToken);
        await PrismaTopology.DeclareDeadLetterQueueAsync(channel, cancellationToken);
        await channel.QueueDeclareAsync(Queue, durable: false, exclusive: true, autoDelete: false,
            arguments: PrismaTopology.JobQueueArguments(_broker.Settings.MaxQueueBytes), cancellationToken: cancellationToken);
        await channel.QueueBindAsync(Queue, PrismaTopology.Exchange, PrismaTopology.CommandRoutingKey(_jobId), cancellationToken: cancellationToken);
        ForgetDataBindings();
        await SyncDataBindingsAsync(channel, cancellationToken); // the data blocks only while a reader is open
    }

    /// <summary>
    /// A region of the job's width moves the job: while it is read, the queue is bound to the new blocks (then unbound
    /// from the old), and the next blocks carry the new channels. Another width would change the job's streams: refused.
    /// </summary>
    private async Task<LiveCommand> ApplyRegionOfInterestAsync(IChannel channel, LiveCommand command)
    {
        var (first, last) = Channels;
        var channels = (int)(_fiber.Info?.NumberOfChannels ?? 0);
        if (command.End > channels)
            return command with { Problem = $"RegionOfInterestCommand end {command.End} is beyond the fiber's {channels} channels" };
        if (command.End - command.Start != last - first)
            return command with { Problem = $"RegionOfInterestCommand {command.Start}..{command.End} would change the job's {last - first + 1} streams; configure a new job" };
        if (command.Start == first) return command;
        Volatile.Write(ref _first, command.Start);
        Volatile.Write(ref _last, command.End);
        _session?.Restart();
        await SyncDataBindingsAsync(channel, _stop.Token);
        LogRegionMoved(first, last, command.Start, command.End);
        return command;
    }
}
