using System.Threading.Channels;
using Microsoft.Extensions.Logging;
using RabbitMQ.Client;

namespace Focus.Analyzer.Sources.RabbitMq;

/// <summary>
/// One live job's input on the broker, for the job's whole life: its queue <c>{job}_live</c> (exclusive to this
/// process's connection, bounded by <c>x-max-length-bytes</c> with drop-head, bound to its command key, and to
/// exactly the blocks its channels need while a reader is open) and one consumer on it, reopened with backoff
/// whenever the channel or connection goes (the queue is redeclared: after a broker restart it is gone). Commands
/// are handled at all times; data only while a reader is open (chunks left from before are acknowledged unread). While a reader is
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

    /// <summary>Data chunks the broker delivered to this job's queue (none while the job is unread).</summary>
    public long ChunksDelivered => Interlocked.Read(ref _chunksDelivered);
    private long _chunksDelivered;

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
        var session = new ReaderSession(this, NewAligner(first, last),
            fromSampleIndex, CancellationTokenSource.CreateLinkedTokenSource(_stop.Token));
        var previous = Interlocked.Exchange(ref _session, session);
        previous?.Cancel();
        OnReaderOpened();
        return session;
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
}
