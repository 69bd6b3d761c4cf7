using Focus.Analyzer.Sources.RabbitMq;
using Focus.Analyzer.Sources.RabbitMq.Protos;
using Focus.Grains.Fiber;
using Google.Protobuf;
using RabbitMQ.Client;
using RabbitMQ.Client.Events;

namespace Focus.Silo.Live;

/// <summary>
/// The silo's fiber metadata from the recorder: a server-named, exclusive, auto-delete queue bound to
/// <c>Prpcast.Info</c> on <c>prisma</c> (no durable queue of our own, CONTRACT §3), each message fed to the
/// <see cref="IMetadataGrain"/> and to this silo's <see cref="RecorderFiber"/>. When the channel or connection
/// goes it reconnects with jittered backoff (Polly); meanwhile <see cref="BrokerHealthCheck"/> reports not ready.
/// </summary>
internal sealed partial class PrpcastConsumer(
    BrokerConnection broker,
    RecorderFiber fiber,
    LiveInstruments instruments,
    IGrainFactory grains,
    SiloFiber siloFiber,
    TimeProvider clock,
    ILogger<PrpcastConsumer> logger) : BackgroundService
{
    private volatile bool _consuming;
    private volatile FiberMetadata? _last;
    private long _received;

    /// <summary>True while the metadata queue is consumed.</summary>
    public bool IsConsuming => _consuming && broker.IsConnected;

    public long Received => Interlocked.Read(ref _received);

    /// <summary>Messages refused (not a PrpcastInfo, or outside the fiber's limits); the last good fiber stays.</summary>
    public long Rejected => Interlocked.Read(ref _rejected);
    private long _rejected;

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        fiber.SamplesPerTraceChanged += OnSamplesPerTraceChanged;
        try
        {
            await BrokerConnection.ReconnectPipeline.ExecuteAsync(ConsumeUntilClosedAsync, stoppingToken);
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
            // stopping
        }
        finally
        {
            fiber.SamplesPerTraceChanged -= OnSamplesPerTraceChanged;
        }
    }

    /// <summary>A job saw chunks of another length: /live_metadata says so now, not only at the next Prpcast.Info.</summary>
    private void OnSamplesPerTraceChanged(int samples)
    {
        if (_last is not { } last) return;
        _ = RepublishAsync(last with { NumSamplesPerTrace = samples });
    }

    private async Task RepublishAsync(FiberMetadata metadata)
    {
        try
        {
            await siloFiber.Publish(grains, metadata);
        }
        catch (Exception ex)
        {
            LogUpdateFailed(ex); // the next Prpcast.Info carries it again
        }
    }

    private async ValueTask ConsumeUntilClosedAsync(CancellationToken cancellationToken)
    {
        IChannel channel;
        try
        {
            channel = await broker.OpenChannelAsync(cancellationToken);
        }
        catch (LiveInputUnavailableException ex)
        {
            LogUnavailable(ex.Message);
            throw;
        }
        try
        {
            var closed = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            channel.ChannelShutdownAsync += (_, _) =>
            {
                closed.TrySetResult();
                return Task.CompletedTask;
            };
            await PrismaTopology.DeclareExchangeAsync(channel, cancellationToken);
            var queue = await channel.QueueDeclareAsync("", durable: false, exclusive: true, autoDelete: true,
                arguments: null, cancellationToken: cancellationToken);
            await channel.QueueBindAsync(queue.QueueName, PrismaTopology.Exchange, PrismaTopology.InfoRoutingKey, cancellationToken: cancellationToken);
            await channel.BasicQosAsync(0, 16, false, cancellationToken);
            var consumer = new AsyncEventingBasicConsumer(channel);
            consumer.ReceivedAsync += (_, delivery) => OnInfoAsync(channel, delivery);
            await channel.BasicConsumeAsync(queue.QueueName, autoAck: false, consumer, cancellationToken);
            _consuming = true;
            LogConsuming(queue.QueueName);
            await closed.Task.WaitAsync(cancellationToken);
            throw new InvalidOperationException($"metadata channel closed: {channel.CloseReason?.ReplyText}");
        }
        finally
        {
            _consuming = false;
            try
            {
                if (channel.IsOpen) await channel.CloseAsync(CancellationToken.None);
            }
            catch (Exception)
            {
                // closed with its connection
            }
            channel.Dispose();
        }
    }

    private async Task OnInfoAsync(IChannel channel, BasicDeliverEventArgs delivery)
    {
        try
        {
            var info = PrpcastInfo.Parser.ParseFrom(delivery.Body.Span);
            if (fiber.Problem(info) is { } problem)
            {
                Refuse(problem);
            }
            else
            {
                var first = fiber.Info is null;
                fiber.Update(info);
                var metadata = ToFiberMetadata(info, clock.GetUtcNow()) with { NumSamplesPerTrace = fiber.SamplesPerTrace };
                _last = metadata;
                await siloFiber.Publish(grains, metadata);
                Interlocked.Increment(ref _received);
                if (first) LogAnnounced(info.NumberOfChannels, info.Prr, info.InterrogatorId);
            }
        }
        catch (InvalidProtocolBufferException ex)
        {
            Refuse($"not a PrpcastInfo: {ex.Message}");
        }
        catch (Exception ex)
        {
            // The silo may be starting or stopping; the next message (every second) tries again.
            LogUpdateFailed(ex);
        }
        try
        {
            await channel.BasicAckAsync(delivery.DeliveryTag, multiple: false);
        }
        catch (Exception) when (!channel.IsOpen)
        {
            // reconnecting
        }
    }

    private void Refuse(string problem)
    {
        Interlocked.Increment(ref _rejected);
        instruments.MetadataRejected.Add(1);
        LogMalformed(problem);
    }

    internal static FiberMetadata ToFiberMetadata(PrpcastInfo m, DateTimeOffset receivedAt) => new()
    {
        Prr = m.Prr,
        NumberOfChannels = (int)Math.Min(m.NumberOfChannels, int.MaxValue),
        Dx = m.Dx,
        FiberStartMeters = m.FiberStartMeters,
        FiberLengthMeters = m.FiberLengthMeters,
        SwVersion = m.SwVersion,
        FiberDescription = m.FiberDescription,
        InterrogatorId = m.InterrogatorId,
        BlockSize = m.BlockSize > 0 ? (int)m.BlockSize : PrismaTopology.DefaultBlockSize,
        ReceivedAt = receivedAt,
    };

    [LoggerMessage(1, LogLevel.Information, "Fiber announced by the recorder: {Channels} channels at {Prr} Hz ({Interrogator})")]
    private partial void LogAnnounced(uint channels, double prr, string interrogator);

    [LoggerMessage(2, LogLevel.Information, "Consuming Prpcast.Info on {Queue}")]
    private partial void LogConsuming(string queue);

    [LoggerMessage(3, LogLevel.Warning, "Live broker unavailable: {Reason}; retrying")]
    private partial void LogUnavailable(string reason);

    [LoggerMessage(4, LogLevel.Warning, "Prpcast.Info refused, the last good fiber stays: {Problem}")]
    private partial void LogMalformed(string problem);

    [LoggerMessage(5, LogLevel.Warning, "Could not update the fiber metadata")]
    private partial void LogUpdateFailed(Exception exception);
}
