using Microsoft.Extensions.Logging;
using Polly;
using Polly.CircuitBreaker;
using Polly.Timeout;
using RabbitMQ.Client;

namespace Focus.Analyzer.Sources.RabbitMq;

/// <summary>
/// This process's one AMQP connection (channels are per consumer). The client's own automatic recovery is off:
/// recovery is ours, at the edge, with Polly — opening a connection runs under a timeout and a circuit breaker
/// (so callers fail fast while the broker is down), and every long-lived consumer reopens its channel and
/// redeclares its topology in a jittered-backoff retry loop (<see cref="ReconnectPipeline"/>).
/// </summary>
public sealed partial class BrokerConnection : IAsyncDisposable
{
    private readonly RabbitMqSettings _settings;
    private readonly ILogger _logger;
    private readonly SemaphoreSlim _gate = new(1, 1);
    private readonly ResiliencePipeline _connect;
    private readonly CancellationTokenSource _disposed = new();
    private IConnection? _connection;
    private volatile string? _lastError = "not connected yet";

    public BrokerConnection(RabbitMqSettings settings, ILogger<BrokerConnection> logger)
    {
        _settings = settings;
        _logger = logger;
        _connect = new ResiliencePipelineBuilder()
            .AddCircuitBreaker(new CircuitBreakerStrategyOptions
            {
                FailureRatio = 1.0,
                MinimumThroughput = 2,
                SamplingDuration = TimeSpan.FromSeconds(10),
                BreakDuration = TimeSpan.FromSeconds(1),
                ShouldHandle = new PredicateBuilder().Handle<Exception>(ex => ex is not OperationCanceledException),
            })
            .AddTimeout(settings.ConnectTimeout)
            .Build();
    }

    /// <summary>True while the connection is open.</summary>
    public bool IsConnected => _connection is { IsOpen: true };

    /// <summary>Why the broker is unavailable, or null while connected.</summary>
    public string? LastError => IsConnected ? null : _lastError;

    public RabbitMqSettings Settings => _settings;

    /// <summary>
    /// Retries forever with jittered exponential backoff (0.2 s doubling to 5 s) until cancelled: the loop of
    /// every long-lived consumer (metadata, each job's queue).
    /// </summary>
    public static ResiliencePipeline ReconnectPipeline { get; } = new ResiliencePipelineBuilder()
        .AddRetry(new Polly.Retry.RetryStrategyOptions
        {
            MaxRetryAttempts = int.MaxValue,
            BackoffType = DelayBackoffType.Exponential,
            UseJitter = true,
            Delay = TimeSpan.FromMilliseconds(200),
            MaxDelay = TimeSpan.FromSeconds(5),
            ShouldHandle = new PredicateBuilder().Handle<Exception>(ex => ex is not OperationCanceledException),
        })
        .Build();

    /// <summary>
    /// A new channel on the shared connection (opened first if needed). Throws
    /// <see cref="LiveInputUnavailableException"/> when the broker cannot be reached within the connect timeout
    /// or the circuit is open.
    /// </summary>
    public async Task<IChannel> OpenChannelAsync(CancellationToken cancellationToken, ushort? consumerDispatchConcurrency = null)
    {
        var connection = await GetConnectionAsync(cancellationToken);
        try
        {
            return await connection.CreateChannelAsync(
                new CreateChannelOptions(false, false, consumerDispatchConcurrency: consumerDispatchConcurrency), cancellationToken);
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            throw Unavailable(ex);
        }
    }

    private async Task<IConnection> GetConnectionAsync(CancellationToken cancellationToken)
    {
        if (_connection is { IsOpen: true } open) return open;
        await _gate.WaitAsync(cancellationToken);
        try
        {
            if (_connection is { IsOpen: true } current) return current;
            ObjectDisposedException.ThrowIf(_disposed.IsCancellationRequested, this);
            if (_connection is { } stale)
            {
                _connection = null;
                await DisposeQuietly(stale);
            }
            var factory = new ConnectionFactory
            {
                Uri = _settings.Broker,
                AutomaticRecoveryEnabled = false,
                TopologyRecoveryEnabled = false,
                ClientProvidedName = _settings.ClientName,
                RequestedHeartbeat = TimeSpan.FromSeconds(10),
                RequestedConnectionTimeout = _settings.ConnectTimeout,
            };
            try
            {
                _connection = await _connect.ExecuteAsync(
                    async token => await factory.CreateConnectionAsync(token), cancellationToken);
            }
            catch (Exception ex) when (ex is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
            {
                _lastError = ex is BrokenCircuitException ? "broker unreachable (circuit open)" : $"broker unreachable: {ex.Message}";
                throw Unavailable(ex);
            }
            _lastError = null;
            _connection.ConnectionShutdownAsync += (_, args) =>
            {
                _lastError = $"connection closed: {args.ReplyText}";
                LogConnectionLost(args.ReplyText);
                return Task.CompletedTask;
            };
            LogConnected(_settings.Broker.Host, _settings.Broker.Port);
            return _connection;
        }
        finally
        {
            _gate.Release();
        }
    }

    private LiveInputUnavailableException Unavailable(Exception ex) =>
        ex as LiveInputUnavailableException
        ?? new LiveInputUnavailableException(
            ex is BrokenCircuitException or TimeoutRejectedException
                ? $"the live broker is unreachable ({_lastError})"
                : $"the live broker is unreachable: {ex.Message}", ex);

    public async ValueTask DisposeAsync()
    {
        _disposed.Cancel();
        await _gate.WaitAsync();
        try
        {
            if (_connection is { } connection)
            {
                _connection = null;
                await DisposeQuietly(connection);
            }
        }
        finally
        {
            _gate.Release();
        }
    }

    private static async Task DisposeQuietly(IConnection connection)
    {
        try
        {
            if (connection.IsOpen) await connection.CloseAsync(TimeSpan.FromSeconds(2));
        }
        catch (Exception)
        {
            // already gone
        }
        await connection.DisposeAsync();
    }

    [LoggerMessage(1, LogLevel.Information, "Connected to the live broker {Host}:{Port}")]
    private partial void LogConnected(string host, int port);

    [LoggerMessage(2, LogLevel.Warning, "Live broker connection closed: {Reason}")]
    private partial void LogConnectionLost(string reason);
}
