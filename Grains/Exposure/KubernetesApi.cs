using System.Globalization;
using System.Net;
using k8s;
using k8s.Autorest;
using k8s.Models;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Polly;
using Polly.CircuitBreaker;
using Polly.Retry;
using Polly.Timeout;

namespace Focus.Grains.Exposure;

/// <summary>
/// The only calls this service makes to the Kubernetes API (k8s/base/rbac.yaml grants exactly these): read a pod;
/// create, read, list and delete Services in one namespace. Every call runs under one Polly pipeline — a timeout per
/// attempt, retries with jitter on 409/429/5xx, timeouts and lost connections, and a circuit breaker — and every
/// failure leaves as a <see cref="StreamExposureUnavailableException"/>.
/// </summary>
public sealed partial class KubernetesApi : IDisposable
{
    private static readonly TimeSpan DefaultRetryAfter = TimeSpan.FromSeconds(5);
    private static readonly TimeSpan MaxServerRetryAfter = TimeSpan.FromSeconds(2);

    private readonly Kubernetes _client;
    private readonly ResiliencePipeline _pipeline;
    private readonly KubernetesInstruments _instruments;
    private readonly ILogger<KubernetesApi> _logger;

    public KubernetesApi(IOptions<KubernetesOptions> options, KubernetesInstruments instruments, TimeProvider clock, ILogger<KubernetesApi> logger)
        : this(Configuration(options.Value), options.Value, instruments, clock, logger)
    {
    }

    public KubernetesApi(KubernetesClientConfiguration configuration, KubernetesOptions options, KubernetesInstruments instruments,
        TimeProvider clock, ILogger<KubernetesApi> logger)
    {
        _instruments = instruments;
        _logger = logger;
        // The pipeline's timeout decides; the HttpClient's own must not cut a call first.
        configuration.HttpClientTimeout = options.RequestTimeout + TimeSpan.FromSeconds(5);
        Namespace = options.Namespace.Length > 0 ? options.Namespace : configuration.Namespace ?? "default";
        _client = new Kubernetes(configuration);
        _pipeline = Pipeline(options, clock);
    }

    /// <summary>The namespace every call is made in.</summary>
    public string Namespace { get; }

    public Task<V1Pod> ReadPodAsync(string name, CancellationToken cancellationToken) =>
        Call($"get pod {name}", token => _client.CoreV1.ReadNamespacedPodAsync(name, Namespace, cancellationToken: token), cancellationToken);

    public Task<V1Service> ReadServiceAsync(string name, CancellationToken cancellationToken) =>
        Call($"get service {name}", token => _client.CoreV1.ReadNamespacedServiceAsync(name, Namespace, cancellationToken: token), cancellationToken);

    public async Task<IReadOnlyList<V1Service>> ListJobServicesAsync(CancellationToken cancellationToken)
    {
        var list = await Call("list services", token => _client.CoreV1.ListNamespacedServiceAsync(
            Namespace, labelSelector: JobServiceManifest.Selector, cancellationToken: token), cancellationToken);
        return list.Items?.ToList() ?? [];
    }

    /// <summary>
    /// Creates <paramref name="service"/>. A 409 means a Service of that name exists: if it is this very exposure
    /// (an earlier attempt that succeeded unseen) it is taken as created; otherwise it is deleted and the create retried.
    /// </summary>
    public Task<V1Service> CreateServiceAsync(V1Service service, CancellationToken cancellationToken) =>
        Call($"create service {service.Name()}", async token =>
        {
            try
            {
                var created = await _client.CoreV1.CreateNamespacedServiceAsync(service, Namespace, cancellationToken: token);
                _instruments.ServiceCreated();
                return created;
            }
            catch (HttpOperationException ex) when (ex.Response.StatusCode == HttpStatusCode.Conflict)
            {
                var existing = await _client.CoreV1.ReadNamespacedServiceAsync(service.Name(), Namespace, cancellationToken: token);
                if (JobServiceManifest.IsSameExposure(existing, service))
                {
                    LogAdopted(service.Name());
                    return existing;
                }
                LogReplacing(service.Name());
                await DeleteOnce(service.Name(), "replaced", token);
                throw; // retried: created anew once the stale one is gone
            }
        }, cancellationToken);

    /// <summary>Deletes a Service; false when there was none.</summary>
    public Task<bool> DeleteServiceAsync(string name, string reason, CancellationToken cancellationToken) =>
        Call($"delete service {name}", token => DeleteOnce(name, reason, token), cancellationToken);

    private async Task<bool> DeleteOnce(string name, string reason, CancellationToken token)
    {
        try
        {
            await _client.CoreV1.DeleteNamespacedServiceAsync(name, Namespace, cancellationToken: token);
            _instruments.ServiceDeleted(reason);
            return true;
        }
        catch (HttpOperationException ex) when (ex.Response.StatusCode == HttpStatusCode.NotFound)
        {
            return false;
        }
    }

    private async Task<T> Call<T>(string operation, Func<CancellationToken, Task<T>> call, CancellationToken cancellationToken)
    {
        try
        {
            return await _pipeline.ExecuteAsync(async token =>
            {
                try
                {
                    return await call(token);
                }
                catch (Exception ex) when (ex is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
                {
                    _instruments.CallFailed(operation.Split(' ')[0]);
                    throw;
                }
            }, cancellationToken);
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            throw new StreamExposureUnavailableException($"the Kubernetes API did not finish '{operation}' in time", DefaultRetryAfter);
        }
        catch (BrokenCircuitException ex)
        {
            throw new StreamExposureUnavailableException(
                $"the Kubernetes API is failing ('{operation}' not tried: circuit open)", ex.RetryAfter ?? DefaultRetryAfter, ex);
        }
        catch (TimeoutRejectedException ex)
        {
            throw new StreamExposureUnavailableException($"the Kubernetes API did not answer '{operation}' in time", DefaultRetryAfter, ex);
        }
        catch (HttpOperationException ex)
        {
            throw new StreamExposureUnavailableException(
                $"the Kubernetes API refused '{operation}': {(int)ex.Response.StatusCode} {StatusMessage(ex)}", DefaultRetryAfter, ex);
        }
        catch (HttpRequestException ex)
        {
            throw new StreamExposureUnavailableException($"the Kubernetes API is unreachable ('{operation}'): {ex.Message}", DefaultRetryAfter, ex);
        }
    }

    private ResiliencePipeline Pipeline(KubernetesOptions options, TimeProvider clock)
    {
        var builder = new ResiliencePipelineBuilder { TimeProvider = clock };
        if (options.MaxRetries > 0)
        {
            builder.AddRetry(new RetryStrategyOptions
            {
                MaxRetryAttempts = options.MaxRetries,
                BackoffType = DelayBackoffType.Exponential,
                UseJitter = true,
                Delay = TimeSpan.FromMilliseconds(200),
                MaxDelay = TimeSpan.FromSeconds(2),
                ShouldHandle = args => ValueTask.FromResult(IsTransient(args.Outcome.Exception)),
                // A 429's Retry-After is the server's own word on when to come back (capped: a /configure is waiting).
                DelayGenerator = args => ValueTask.FromResult(ServerRetryAfter(args.Outcome.Exception)),
                OnRetry = args =>
                {
                    LogRetry(args.AttemptNumber + 1, args.RetryDelay, Describe(args.Outcome.Exception));
                    return ValueTask.CompletedTask;
                },
            });
        }
        return builder
            .AddCircuitBreaker(new CircuitBreakerStrategyOptions
            {
                FailureRatio = 1.0,
                MinimumThroughput = options.BreakAfterFailures,
                SamplingDuration = TimeSpan.FromSeconds(30),
                BreakDuration = options.BreakDuration,
                ShouldHandle = args => ValueTask.FromResult(IsTransient(args.Outcome.Exception)),
                OnOpened = args =>
                {
                    LogCircuitOpened(args.BreakDuration);
                    return ValueTask.CompletedTask;
                },
            })
            .AddTimeout(options.RequestTimeout)
            .Build();
    }

    /// <summary>409 (a conflict that a retry resolves), 429, 5xx, a timeout, or no connection.</summary>
    internal static bool IsTransient(Exception? ex) => ex switch
    {
        HttpOperationException http => http.Response.StatusCode is HttpStatusCode.Conflict or HttpStatusCode.TooManyRequests
            || (int)http.Response.StatusCode >= 500,
        TimeoutRejectedException or HttpRequestException => true,
        _ => false,
    };

    private static TimeSpan? ServerRetryAfter(Exception? ex)
    {
        if (ex is not HttpOperationException { Response.StatusCode: HttpStatusCode.TooManyRequests } http) return null;
        var header = http.Response.Headers?.FirstOrDefault(h => string.Equals(h.Key, "Retry-After", StringComparison.OrdinalIgnoreCase)).Value?.FirstOrDefault();
        return int.TryParse(header, NumberStyles.None, CultureInfo.InvariantCulture, out var seconds)
            ? TimeSpan.FromSeconds(Math.Min(seconds, MaxServerRetryAfter.TotalSeconds))
            : null;
    }

    private static string Describe(Exception? ex) => ex switch
    {
        HttpOperationException http => $"{(int)http.Response.StatusCode} {StatusMessage(http)}",
        null => "no exception",
        _ => ex.Message,
    };

    /// <summary>The API's Status message (<c>{"kind":"Status","message":…}</c>), else the reason phrase.</summary>
    private static string StatusMessage(HttpOperationException ex)
    {
        try
        {
            if (ex.Response.Content is { Length: > 0 } body && KubernetesJson.Deserialize<V1Status>(body) is { Message: { Length: > 0 } message })
                return message;
        }
        catch (Exception)
        {
            // not a Status body
        }
        return ex.Response.ReasonPhrase ?? ex.Response.StatusCode.ToString();
    }

    private static KubernetesClientConfiguration Configuration(KubernetesOptions options) =>
        options.KubeConfig.Length > 0
            ? KubernetesClientConfiguration.BuildConfigFromConfigFile(options.KubeConfig)
            : KubernetesClientConfiguration.InClusterConfig();

    public void Dispose() => _client.Dispose();

    [LoggerMessage(1, LogLevel.Warning, "Kubernetes API call failed ({Problem}); retry {Attempt} in {Delay}")]
    private partial void LogRetry(int attempt, TimeSpan delay, string problem);

    [LoggerMessage(2, LogLevel.Error, "Kubernetes API failing: calls are refused for {BreakDuration}")]
    private partial void LogCircuitOpened(TimeSpan breakDuration);

    [LoggerMessage(3, LogLevel.Information, "Service {Service} already existed as wanted (an earlier attempt made it); using it")]
    private partial void LogAdopted(string service);

    [LoggerMessage(4, LogLevel.Warning, "Service {Service} exists but is not this job's exposure; replacing it")]
    private partial void LogReplacing(string service);
}
