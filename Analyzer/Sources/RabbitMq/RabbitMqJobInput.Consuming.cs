using RabbitMQ.Client;
using RabbitMQ.Client.Events;

namespace Focus.Analyzer.Sources.RabbitMq;

// The consumer loop: one consumer on the job queue, reopened with backoff; every delivery acknowledged.
internal sealed partial class RabbitMqJobInput
{
    private async Task RunAsync(IChannel first)
    {
        IChannel? channel = first;
        try
        {
            await BrokerConnection.ReconnectPipeline.ExecuteAsync(async token =>
            {
                var current = channel ?? await OpenAndDeclareAsync(token);
                channel = null;
                try
                {
                    await ConsumeUntilClosedAsync(current, token);
                }
                finally
                {
                    await CloseQuietly(current);
                }
            }, _stop.Token);
        }
        catch (OperationCanceledException) when (_stop.IsCancellationRequested)
        {
            // the job ended
        }
        catch (Exception ex)
        {
            Fail($"live input failed: {ex.Message}");
        }
        finally
        {
            if (channel is not null) await CloseQuietly(channel);
        }
    }

    private async Task ConsumeUntilClosedAsync(IChannel channel, CancellationToken cancellationToken)
    {
        var closed = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        channel.ChannelShutdownAsync += (_, args) =>
        {
            closed.TrySetResult();
            return Task.CompletedTask;
        };
        await channel.BasicQosAsync(0, _broker.Settings.Prefetch, false, cancellationToken);
        var consumer = new AsyncEventingBasicConsumer(channel);
        consumer.ReceivedAsync += (_, delivery) => OnDeliveryAsync(channel, delivery);
        consumer.UnregisteredAsync += (_, _) =>
        {
            closed.TrySetResult(); // the broker cancelled us: the queue was deleted under us
            return Task.CompletedTask;
        };
        await channel.BasicConsumeAsync(Queue, autoAck: false, consumer, cancellationToken);
        _channel = channel;
        Interlocked.MemoryBarrier();
        if (_wantData) await SyncDataBindingsAsync(channel, cancellationToken); // a reader opened while the channel was away
        await _deliveries.WaitAsync(cancellationToken);
        try
        {
            _session?.Restart(); // a new queue: the old one's partial slots and sequences mean nothing now
        }
        finally
        {
            _deliveries.Release();
        }
        try
        {
            await closed.Task.WaitAsync(cancellationToken);
        }
        finally
        {
            _channel = null;
        }
        LogQueueLost(Queue, channel.CloseReason?.ReplyText ?? "consumer cancelled");
        throw new InvalidOperationException($"the consumer of {Queue} stopped");
    }

    private async Task OnDeliveryAsync(IChannel channel, BasicDeliverEventArgs delivery)
    {
        await _deliveries.WaitAsync(CancellationToken.None);
        try
        {
            var block = PrismaTopology.ParseDataRoutingKey(delivery.RoutingKey);
            if (block >= 0) await OnDataAsync(channel, block, delivery);
            else if (PrismaTopology.IsCommandRoutingKey(delivery.RoutingKey)) await OnCommandAsync(channel, delivery);
        }
        catch (OperationCanceledException)
        {
            // the reader left or the job ended while this chunk waited for room
        }
        catch (Exception ex)
        {
            Interlocked.Increment(ref _rejected);
            LogDeliveryFailed(ex, delivery.RoutingKey);
        }
        finally
        {
            _deliveries.Release();
        }
        try
        {
            await channel.BasicAckAsync(delivery.DeliveryTag, multiple: false);
        }
        catch (Exception) when (!channel.IsOpen)
        {
            // the channel went; the consumer loop reopens it
        }
    }
}
