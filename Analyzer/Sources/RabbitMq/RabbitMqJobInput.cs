using System.Buffers;
using System.Threading.Channels;
using Focus.Analyzer.Sources.RabbitMq.Protos;
using Google.Protobuf;
using Microsoft.Extensions.Logging;
using RabbitMQ.Client;
using RabbitMQ.Client.Events;

namespace Focus.Analyzer.Sources.RabbitMq;

/// <summary>
/// One live job's input on the broker, for the job's whole life: its queue <c>{job}_live</c> (exclusive to this
/// process's connection, bounded by <c>x-max-length-bytes</c> with drop-head, bound to exactly the blocks its
/// channels need and to its command key) and one consumer on it, reopened with backoff whenever the channel or
/// connection goes (the queue is redeclared: after a broker restart it is gone). Commands are handled at all
/// times; data only matters while a reader is open — otherwise chunks are acknowledged unread. While a reader is
/// open, a full hand-off stops acknowledging, so the broker's queue takes the back-pressure and drops its head.
/// </summary>
internal sealed partial class RabbitMqJobInput : ILiveJobInput
{
    private const int HandOffSlots = 8;
    private static readonly TimeSpan StopWait = TimeSpan.FromSeconds(3);

    private readonly string _jobId;
    private readonly BrokerConnection _broker;
    private readonly RecorderFiber _fiber;
    private readonly LiveInstruments _instruments;
    private readonly TimeProvider _clock;
    private readonly ILogger _logger;
    private readonly double _prr;
    private readonly int _blockSize;
    private readonly Channel<SampleBlock> _handOff = Channel.CreateBounded<SampleBlock>(
        new BoundedChannelOptions(HandOffSlots) { SingleWriter = true, FullMode = BoundedChannelFullMode.Wait });
    private readonly CancellationTokenSource _stop = new();
    private readonly CancellationTokenSource _faulted = new();
    private readonly SemaphoreSlim _deliveries = new(1, 1);
    private readonly List<SampleBlock> _ready = [];
    private volatile ReaderSession? _session;
    private Task _run = Task.CompletedTask;
    private int _first;
    private int _last;
    private long _lastKeepaliveTicks;
    private volatile string? _fault;
    private int _disposed;

    public RabbitMqJobInput(string jobId, int first, int last, BrokerConnection broker, RecorderFiber fiber,
        LiveInstruments instruments, TimeProvider clock, ILogger logger)
    {
        _jobId = jobId;
        _first = first;
        _last = last;
        _broker = broker;
        _fiber = fiber;
        _instruments = instruments;
        _clock = clock;
        _logger = logger;
        _prr = fiber.Prr;
        _blockSize = fiber.BlockSize;
        Queue = PrismaTopology.JobQueue(jobId);
    }

    public string JobId => _jobId;

    public string Queue { get; }

    public DateTimeOffset? LastKeepaliveAt =>
        Interlocked.Read(ref _lastKeepaliveTicks) is var ticks and > 0 ? new DateTimeOffset(ticks, TimeSpan.Zero) : null;

    public string? Fault => _fault;

    /// <summary>Chunks this job never received while read (<see cref="ChunkAligner.Dropped"/> summed over readers).</summary>
    public long Dropped => Interlocked.Read(ref _dropped);
    private long _dropped;

    /// <summary>Chunks refused (malformed, duplicate, late) and malformed commands.</summary>
    public long Rejected => Interlocked.Read(ref _rejected);
    private long _rejected;

    public long Holes => Interlocked.Read(ref _holes);
    private long _holes;

    /// <summary>The channel range the queue is bound for now.</summary>
    public (int First, int Last) Channels => (Volatile.Read(ref _first), Volatile.Read(ref _last));

    /// <summary>Declares the queue and its bindings and starts consuming; throws when the broker is unreachable.</summary>
    public async Task StartAsync(CancellationToken cancellationToken)
    {
        var channel = await _broker.OpenChannelAsync(cancellationToken);
        try
        {
            await DeclareAsync(channel, cancellationToken);
        }
        catch (Exception ex)
        {
            await CloseQuietly(channel);
            throw ex as LiveInputUnavailableException ?? new LiveInputUnavailableException($"the job's live queue could not be declared: {ex.Message}", ex);
        }
        _run = Task.Run(() => RunAsync(channel));
    }

    /// <summary>Makes the job fail with <paramref name="reason"/> (e.g. its channels left the fiber).</summary>
    public void Fail(string reason)
    {
        if (_fault is not null) return;
        _fault = reason;
        LogFault(reason);
        _faulted.Cancel();
    }

    public ILiveReader Open(long fromSampleIndex)
    {
        var (first, last) = Channels;
        var session = new ReaderSession(this, new ChunkAligner(first, last, _blockSize, _prr, _broker.Settings.ReorderWindow),
            fromSampleIndex, CancellationTokenSource.CreateLinkedTokenSource(_stop.Token));
        var previous = Interlocked.Exchange(ref _session, session);
        previous?.Cancel();
        return session;
    }

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
        var (first, last) = Channels;
        foreach (var block in PrismaTopology.Blocks(first, last, _blockSize))
            await channel.QueueBindAsync(Queue, PrismaTopology.Exchange, PrismaTopology.DataRoutingKey(block), cancellationToken: cancellationToken);
        await channel.QueueBindAsync(Queue, PrismaTopology.Exchange, PrismaTopology.CommandRoutingKey(_jobId), cancellationToken: cancellationToken);
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
        await _deliveries.WaitAsync(cancellationToken);
        try
        {
            _session?.Restart(); // a new queue: the old one's partial slots and sequences mean nothing now
        }
        finally
        {
            _deliveries.Release();
        }
        await closed.Task.WaitAsync(cancellationToken);
        LogQueueLost(Queue, channel.CloseReason?.ReplyText ?? "consumer cancelled");
        throw new InvalidOperationException($"the consumer of {Queue} stopped");
    }

    private async Task OnDeliveryAsync(IChannel channel, BasicDeliverEventArgs delivery)
    {
        await _deliveries.WaitAsync(CancellationToken.None);
        try
        {
            var block = PrismaTopology.ParseDataRoutingKey(delivery.RoutingKey);
            if (block >= 0) await OnDataAsync(block, delivery.Body);
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

    private async Task OnDataAsync(int block, ReadOnlyMemory<byte> body)
    {
        if (_session is not { } session) return; // nobody reads: live data is not kept
        DataChunk chunk;
        try
        {
            chunk = DataChunk.Parser.ParseFrom(body.Span);
        }
        catch (InvalidProtocolBufferException ex)
        {
            Reject("malformed", $"not a DataChunk: {ex.Message}", block);
            return;
        }
        await session.AddAsync(block, chunk);
    }

    private void Reject(string reason, string detail, int block)
    {
        Interlocked.Increment(ref _rejected);
        _instruments.ChunksRejected.Add(1, new KeyValuePair<string, object?>("reason", reason));
        LogChunkRejected(block, reason, detail);
    }

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
            var properties = new BasicProperties
            {
                ContentType = "application/json",
                Headers = new Dictionary<string, object?> { ["x-focus-job"] = _jobId, ["x-focus-problem"] = problem },
            };
            await channel.BasicPublishAsync(PrismaTopology.Exchange, PrismaTopology.DeadLetterRoutingKey(_jobId), false,
                properties, delivery.Body.ToArray());
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

    /// <summary>
    /// A region of the job's width moves the job: the queue is bound to the new blocks (then unbound from the old),
    /// and the next blocks carry the new channels. Another width would change the job's streams: refused.
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
        var before = PrismaTopology.Blocks(first, last, _blockSize);
        var after = PrismaTopology.Blocks(command.Start, command.End, _blockSize);
        foreach (var block in after.Except(before))
            await channel.QueueBindAsync(Queue, PrismaTopology.Exchange, PrismaTopology.DataRoutingKey(block));
        Volatile.Write(ref _first, command.Start);
        Volatile.Write(ref _last, command.End);
        _session?.Restart();
        foreach (var block in before.Except(after))
            await channel.QueueUnbindAsync(Queue, PrismaTopology.Exchange, PrismaTopology.DataRoutingKey(block));
        LogRegionMoved(first, last, command.Start, command.End);
        return command;
    }

    public async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref _disposed, 1) == 1) return;
        _stop.Cancel();
        try
        {
            await _run.WaitAsync(StopWait);
        }
        catch (TimeoutException)
        {
            LogSlowStop(StopWait);
        }
        _session?.Cancel();
        await DeleteQueueAsync();
    }

    private async Task DeleteQueueAsync()
    {
        // Exclusive: if the broker or connection is gone, so is the queue.
        if (!_broker.IsConnected) return;
        try
        {
            using var timeout = new CancellationTokenSource(StopWait);
            var channel = await _broker.OpenChannelAsync(timeout.Token);
            try
            {
                await channel.QueueDeleteAsync(Queue, ifUnused: false, ifEmpty: false, cancellationToken: timeout.Token);
                LogQueueDeleted(Queue);
            }
            finally
            {
                await CloseQuietly(channel);
            }
        }
        catch (Exception ex)
        {
            LogDeleteFailed(ex, Queue);
        }
    }

    private static async Task CloseQuietly(IChannel channel)
    {
        try
        {
            if (channel.IsOpen) await channel.CloseAsync();
        }
        catch (Exception)
        {
            // already closed with its connection
        }
        channel.Dispose();
    }

    /// <summary>The one open reader: its aligner and the hand-off it waits on.</summary>
    private sealed class ReaderSession(RabbitMqJobInput input, ChunkAligner aligner, long from, CancellationTokenSource cancel) : ILiveReader
    {
        private ChunkAligner _aligner = aligner;
        private SampleBlock? _previous;

        public void Cancel()
        {
            try { cancel.Cancel(); } catch (ObjectDisposedException) { }
        }

        /// <summary>Starts over (new queue or channels): called on the delivery path only.</summary>
        public void Restart()
        {
            var (first, last) = input.Channels;
            _aligner.Clear();
            Account();
            _aligner = new ChunkAligner(first, last, input._blockSize, input._prr, input._broker.Settings.ReorderWindow);
        }

        public async Task AddAsync(int block, DataChunk chunk)
        {
            input._ready.Clear();
            var fate = _aligner.Add(block, chunk, input._ready);
            switch (fate)
            {
                case ChunkFate.Malformed: input.Reject("malformed", _aligner.LastProblem ?? "", block); break;
                case ChunkFate.Duplicate: input.Reject("duplicate", $"sequence {chunk.Sequence}", block); break;
                case ChunkFate.Late: input.Reject("late", $"sequence {chunk.Sequence}", block); break;
            }
            Account();
            foreach (var ready in input._ready)
            {
                try
                {
                    await input._handOff.Writer.WriteAsync(ready, cancel.Token);
                }
                catch (OperationCanceledException)
                {
                    ArrayPool<float>.Shared.Return(ready.Samples);
                    throw;
                }
            }
        }

        private long _accountedDropped, _accountedHoles;

        private void Account()
        {
            var dropped = _aligner.Dropped - _accountedDropped;
            var holes = _aligner.Holes - _accountedHoles;
            _accountedDropped = _aligner.Dropped;
            _accountedHoles = _aligner.Holes;
            if (dropped > 0)
            {
                Interlocked.Add(ref input._dropped, dropped);
                input._instruments.QueueDropped.Add(dropped);
            }
            if (holes > 0) Interlocked.Add(ref input._holes, holes);
        }

        public async ValueTask<SampleBlock?> ReadAsync(CancellationToken cancellationToken)
        {
            ReturnPrevious();
            if (input._fault is { } fault) throw new InvalidDataException(fault);
            using var linked = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, cancel.Token, input._faulted.Token);
            while (true)
            {
                SampleBlock block;
                try
                {
                    block = await input._handOff.Reader.ReadAsync(linked.Token);
                }
                catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
                {
                    if (input._fault is { } reason) throw new InvalidDataException(reason);
                    return null; // closed: the job is ending
                }
                if (block.FirstSampleIndex + block.SampleCount <= from)
                {
                    ArrayPool<float>.Shared.Return(block.Samples);
                    continue;
                }
                _previous = block;
                return block;
            }
        }

        private void ReturnPrevious()
        {
            if (_previous is { } previous) ArrayPool<float>.Shared.Return(previous.Samples);
            _previous = null;
        }

        public ValueTask DisposeAsync()
        {
            Interlocked.CompareExchange(ref input._session, null, this);
            Cancel();
            ReturnPrevious();
            while (input._handOff.Reader.TryRead(out var stale)) ArrayPool<float>.Shared.Return(stale.Samples);
            return ValueTask.CompletedTask;
        }
    }

    [LoggerMessage(1, LogLevel.Warning, "Live queue {Queue} lost ({Reason}); reconnecting")]
    private partial void LogQueueLost(string queue, string reason);

    [LoggerMessage(2, LogLevel.Information, "Live queue {Queue} declared again")]
    private partial void LogRedeclared(string queue);

    [LoggerMessage(3, LogLevel.Debug, "Live queue {Queue} deleted")]
    private partial void LogQueueDeleted(string queue);

    [LoggerMessage(4, LogLevel.Warning, "Could not delete live queue {Queue}")]
    private partial void LogDeleteFailed(Exception exception, string queue);

    [LoggerMessage(5, LogLevel.Warning, "Live chunk of block {Block} refused ({Reason}): {Detail}")]
    private partial void LogChunkRejected(int block, string reason, string detail);

    [LoggerMessage(6, LogLevel.Warning, "Command refused and sent to prisma_dlq: {Problem}")]
    private partial void LogCommandRefused(string problem);

    [LoggerMessage(7, LogLevel.Debug, "Keepalive from {Source}")]
    private partial void LogKeepalive(string source);

    [LoggerMessage(8, LogLevel.Information, "Command {Type} received")]
    private partial void LogCommand(string type);

    [LoggerMessage(9, LogLevel.Information, "Region of interest moved from {OldFirst}..{OldLast} to {First}..{Last}")]
    private partial void LogRegionMoved(int oldFirst, int oldLast, int first, int last);

    [LoggerMessage(10, LogLevel.Error, "Live delivery on {RoutingKey} failed")]
    private partial void LogDeliveryFailed(Exception exception, string routingKey);

    [LoggerMessage(11, LogLevel.Error, "Live input fails the job: {Reason}")]
    private partial void LogFault(string reason);

    [LoggerMessage(12, LogLevel.Warning, "Live input did not stop within {Wait}")]
    private partial void LogSlowStop(TimeSpan wait);
}
