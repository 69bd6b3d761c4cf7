using System.Diagnostics;
using System.Runtime.InteropServices;
using Focus.Analyzer.Sources.RabbitMq.Protos;
using Focus.Analyzer.Sources.Simulated;
using Google.Protobuf;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using RabbitMQ.Client;

namespace Focus.Analyzer.Sources.RabbitMq;

/// <summary>
/// Plays the smart recorder of CONTRACT §3 with the built-in simulator's signal model: at real-time pace, one
/// <c>DataChunk</c> per channel block and chunk period on <c>recorder.data.&lt;block&gt;</c> (time-major float32,
/// published once its last sample exists), and <c>PrpcastInfo</c> on <c>Prpcast.Info</c> at start and every
/// second. Publishes with confirmations, so broker back-pressure shows as publish wait; a chunk that cannot be
/// published (broker down) is lost, as it would be by a recorder, and sequences move on.
/// </summary>
public sealed partial class SimulatedLiveRecorder : IAsyncDisposable
{
    private readonly SimulatedFiber _fiber;
    private readonly SimulatedFiberMetadata _metadata;
    private readonly BrokerConnection _broker;
    private readonly TimeProvider _clock;
    private readonly ILogger _logger;
    private readonly int _chunkSamples;
    private readonly int _blockSize;
    private readonly ulong[] _sequences;
    private IChannel? _channel;
    private long _chunks, _bytes, _lost, _publishTicks, _lateTicksMax, _infos;

    public SimulatedLiveRecorder(SimulatorOptions options, Uri broker, TimeSpan chunkDuration, TimeProvider clock, ILoggerFactory? loggers = null)
    {
        loggers ??= NullLoggerFactory.Instance;
        _fiber = new SimulatedFiber(options);
        _clock = clock;
        _logger = loggers.CreateLogger<SimulatedLiveRecorder>();
        _chunkSamples = (int)Math.Max(1, Math.Round(chunkDuration.TotalSeconds * _fiber.Prr));
        _blockSize = options.BlockSize;
        _metadata = new SimulatedFiberMetadata(_fiber.Prr, _fiber.Channels, _fiber.Dx, _fiber.FiberStartMeters,
            _fiber.FiberLengthMeters, options.SwVersion, options.FiberDescription, options.InterrogatorId, options.BlockSize, _chunkSamples);
        _sequences = new ulong[PrismaTopology.BlockOf(_fiber.Channels, _blockSize) + 1];
        _broker = new BrokerConnection(new RabbitMqSettings { Broker = broker, ClientName = "focus simulated recorder" },
            loggers.CreateLogger<BrokerConnection>());
    }

    public SimulatedFiber Fiber => _fiber;

    public int ChunkSamples => _chunkSamples;

    public int Blocks => _sequences.Length;

    /// <summary>When set, called with each chunk before it is published (tests spoil or reorder chunks here).</summary>
    public Func<int, DataChunk, IEnumerable<DataChunk>>? Tamper { get; set; }

    public RecorderStats Stats => new(Interlocked.Read(ref _chunks), Interlocked.Read(ref _bytes), Interlocked.Read(ref _lost),
        TimeSpan.FromTicks(Interlocked.Read(ref _publishTicks)), TimeSpan.FromTicks(Interlocked.Read(ref _lateTicksMax)),
        Interlocked.Read(ref _infos));

    public PrpcastInfo Info() => new()
    {
        Prr = _metadata.Prr,
        NumberOfChannels = (uint)_metadata.NumberOfChannels,
        Dx = _metadata.Dx,
        FiberStartMeters = _metadata.FiberStartMeters,
        FiberLengthMeters = _metadata.FiberLengthMeters,
        SwVersion = _metadata.SwVersion,
        InterrogatorId = _metadata.InterrogatorId,
        FiberDescription = _metadata.FiberDescription,
        BlockSize = (uint)_metadata.BlockSize,
        SentAtNs = (_clock.GetUtcNow() - DateTimeOffset.UnixEpoch).Ticks * 100,
    };

    /// <summary>Publishes until cancelled.</summary>
    public async Task RunAsync(CancellationToken cancellationToken)
    {
        var clock = _fiber.Clock;
        var next = clock.IndexAt(_clock.GetUtcNow()) / _chunkSamples * _chunkSamples; // chunks on a grid of their own length
        var nextInfo = _clock.GetUtcNow();
        var buffer = new float[_chunkSamples * _blockSize];
        while (!cancellationToken.IsCancellationRequested)
        {
            var now = _clock.GetUtcNow();
            if (now >= nextInfo)
            {
                await PublishAsync(PrismaTopology.InfoRoutingKey, Info().ToByteArray(), cancellationToken);
                Interlocked.Increment(ref _infos);
                nextInfo = now + TimeSpan.FromSeconds(1);
            }
            var due = clock.TimeOf(next + _chunkSamples - 1);
            if (due > now)
            {
                var wake = due < nextInfo ? due : nextInfo;
                var wait = TimeSpan.FromMilliseconds(Math.Max(1, Math.Ceiling((wake - now).TotalMilliseconds)));
                await Task.Delay(wait, _clock, cancellationToken);
                continue;
            }
            var late = now - due;
            if (late.Ticks > Interlocked.Read(ref _lateTicksMax)) Interlocked.Exchange(ref _lateTicksMax, late.Ticks);
            var started = Stopwatch.GetTimestamp();
            await PublishChunksAsync(next, buffer, cancellationToken);
            Interlocked.Add(ref _publishTicks, Stopwatch.GetElapsedTime(started).Ticks);
            next += _chunkSamples;
        }
    }

    private async Task PublishChunksAsync(long first, float[] buffer, CancellationToken cancellationToken)
    {
        var startNs = (long)decimal.Round(first * 1_000_000_000m / (decimal)_fiber.Prr);
        var pending = new List<ValueTask>(_sequences.Length);
        for (var block = 0; block < _sequences.Length; block++)
        {
            var firstChannel = block * _blockSize + 1;
            var channels = Math.Min(_blockSize, _fiber.Channels - firstChannel + 1);
            _fiber.Fill(firstChannel, channels, first, _chunkSamples, buffer);
            var chunk = new DataChunk
            {
                Sequence = _sequences[block]++,
                StartTimeNs = startNs,
                Prr = _fiber.Prr,
                FirstChannel = (uint)firstChannel,
                ChannelCount = (uint)channels,
                SampleCount = (uint)_chunkSamples,
                Samples = ByteString.CopyFrom(MemoryMarshal.AsBytes(buffer.AsSpan(0, channels * _chunkSamples))),
            };
            var key = PrismaTopology.DataRoutingKey(block);
            foreach (var message in Tamper?.Invoke(block, chunk) ?? [chunk])
            {
                var body = message.ToByteArray();
                pending.Add(PublishAsync(key, body, cancellationToken));
                Interlocked.Add(ref _bytes, body.Length);
            }
        }
        foreach (var publish in pending) await publish;
    }

    private async ValueTask PublishAsync(string routingKey, byte[] body, CancellationToken cancellationToken)
    {
        try
        {
            var channel = _channel is { IsOpen: true } open ? open : await OpenAsync(cancellationToken);
            await channel.BasicPublishAsync(PrismaTopology.Exchange, routingKey, body, cancellationToken);
            if (routingKey != PrismaTopology.InfoRoutingKey) Interlocked.Increment(ref _chunks);
        }
        catch (Exception ex) when (ex is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
        {
            Interlocked.Increment(ref _lost);
            LogLost(routingKey, ex.Message);
        }
    }

    private readonly SemaphoreSlim _opening = new(1, 1);

    private async Task<IChannel> OpenAsync(CancellationToken cancellationToken)
    {
        await _opening.WaitAsync(cancellationToken);
        try
        {
            if (_channel is { IsOpen: true } open) return open;
            var channel = await _broker.OpenChannelAsync(cancellationToken);
            await PrismaTopology.DeclareExchangeAsync(channel, cancellationToken);
            _channel = channel;
            return channel;
        }
        finally
        {
            _opening.Release();
        }
    }

    public async ValueTask DisposeAsync()
    {
        if (_channel is { } channel)
        {
            try { if (channel.IsOpen) await channel.CloseAsync(); } catch (Exception) { }
            channel.Dispose();
        }
        await _broker.DisposeAsync();
    }

    [LoggerMessage(1, LogLevel.Debug, "Recorder lost a message on {RoutingKey}: {Reason}")]
    private partial void LogLost(string routingKey, string reason);
}

/// <summary>What a <see cref="SimulatedLiveRecorder"/> did so far.</summary>
public sealed record RecorderStats(long Chunks, long Bytes, long Lost, TimeSpan PublishTime, TimeSpan MaxLateness, long Infos);
