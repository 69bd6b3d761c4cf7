using Microsoft.Extensions.Logging;
using Polly;
using Polly.CircuitBreaker;
using Polly.Timeout;

namespace Focus.Grains.Recordings;

/// <summary>
/// What keeps a database-backed catalog (postgres, mongo) answering while its database does not (issue 18): every
/// call runs under one Polly pipeline, a circuit breaker around a timeout. A call gets <see cref="CatalogOptions.Timeout"/>
/// (its token is cancelled then; the drivers' own timeouts are set to the same, so one that ignores the token ends
/// too); when at least <see cref="CatalogOptions.BreakMinimumCalls"/> calls within <see cref="CatalogOptions.BreakSamplingDuration"/>
/// failed at <see cref="CatalogOptions.BreakFailureRatio"/> or more, the circuit opens for <see cref="CatalogOptions.BreakDuration"/>,
/// during which calls fail at once; then one call tries the database again (the readiness probe is enough to close
/// the circuit). Every failure is a <see cref="CatalogUnavailableException"/>
/// that names the catalog and says why, with the <c>Retry-After</c> to send.
/// </summary>
internal sealed partial class CatalogGuard
{
    private readonly string _kind;
    private readonly CatalogOptions _options;
    private readonly Func<Exception, bool> _isOutage;
    private readonly ILogger _logger;
    private readonly ResiliencePipeline _pipeline;
    private string _lastFailure = "";

    /// <param name="kind">The catalog's kind, for messages.</param>
    /// <param name="isOutage">True for the driver's exceptions that mean the database is unreachable or failing.</param>
    public CatalogGuard(string kind, CatalogOptions options, Func<Exception, bool> isOutage, ILogger logger, TimeProvider? clock = null)
    {
        _kind = kind;
        _options = options;
        _isOutage = isOutage;
        _logger = logger;
        _pipeline = new ResiliencePipelineBuilder { TimeProvider = clock ?? TimeProvider.System }
            .AddCircuitBreaker(new CircuitBreakerStrategyOptions
            {
                FailureRatio = options.BreakFailureRatio,
                MinimumThroughput = options.BreakMinimumCalls,
                SamplingDuration = options.BreakSamplingDuration,
                BreakDuration = options.BreakDuration,
                // The inner timeout turns a cancelled call into TimeoutRejectedException; a caller's cancellation is no failure.
                ShouldHandle = args => ValueTask.FromResult(args.Outcome.Exception is { } ex && (ex is TimeoutRejectedException || isOutage(ex))),
                OnOpened = args =>
                {
                    LogOpened(_kind, args.BreakDuration, _lastFailure);
                    return ValueTask.CompletedTask;
                },
                OnClosed = _ =>
                {
                    LogClosed(_kind);
                    return ValueTask.CompletedTask;
                },
            })
            .AddTimeout(options.Timeout)
            .Build();
    }

    /// <summary>
    /// Runs <paramref name="call"/> under the timeout and the breaker. Throws <see cref="CatalogUnavailableException"/>
    /// for a timeout, an open circuit or an outage; <see cref="OperationCanceledException"/> when the caller cancels.
    /// </summary>
    public async Task<T> RunAsync<T>(Func<CancellationToken, Task<T>> call, CancellationToken cancellationToken)
    {
        try
        {
            return await _pipeline.ExecuteAsync(async token =>
            {
                try
                {
                    return await call(token);
                }
                catch (Exception ex) when ((ex is OperationCanceledException || _isOutage(ex)) && !cancellationToken.IsCancellationRequested)
                {
                    _lastFailure = ex is OperationCanceledException ? $"no answer within {_options.Timeout.TotalSeconds:0.###} s" : ex.Message;
                    throw;
                }
            }, cancellationToken);
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            throw;
        }
        catch (BrokenCircuitException ex)
        {
            var retryAfter = ex.RetryAfter is { } left && left > TimeSpan.Zero ? left : _options.BreakDuration;
            throw new CatalogUnavailableException(
                $"the recording catalog ({_kind}) is unavailable: its database keeps failing (last: {_lastFailure}); " +
                $"it is asked again in {Math.Ceiling(retryAfter.TotalSeconds):0} s", retryAfter);
        }
        catch (TimeoutRejectedException ex)
        {
            throw new CatalogUnavailableException(
                $"the recording catalog ({_kind}) did not answer within {_options.Timeout.TotalSeconds:0.###} s", _options.BreakDuration, ex);
        }
        catch (Exception ex) when (_isOutage(ex))
        {
            throw new CatalogUnavailableException($"the recording catalog ({_kind}) is unreachable: {ex.Message}", _options.BreakDuration, ex);
        }
    }

    public async Task RunAsync(Func<CancellationToken, Task> call, CancellationToken cancellationToken) =>
        await RunAsync<bool>(async token =>
        {
            await call(token);
            return true;
        }, cancellationToken);
}
