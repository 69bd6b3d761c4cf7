using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using System.Text.Json.Serialization;
using Focus.Analyzer.Streaming.Protos;
using Grpc.Core;
using Grpc.Net.Client;

namespace Focus.LoadBench;

/// <summary>A configured job, as far as the bench needs it.</summary>
internal sealed record Job(string Id, string Host, int Port, int StreamAmount, double LinesDt, int ChannelMin)
{
    public double ExpectedLinesPerSecond => 1.0 / LinesDt;
}

internal sealed record ConfigureResult(Job? Job, double Milliseconds, int Status, int Retries, string? Error);

internal sealed class ConfigureAnswer
{
    [JsonPropertyName("job_id")] public string? JobId { get; set; }
    [JsonPropertyName("stream_url")] public string? StreamUrl { get; set; }
    [JsonPropertyName("stream_port")] public int StreamPort { get; set; }
    [JsonPropertyName("stream_amount")] public int StreamAmount { get; set; }
    [JsonPropertyName("lines_dt")] public double LinesDt { get; set; }
}

/// <summary>
/// REST calls of the bench (to <paramref name="baseAddress"/>, the gateway), /metrics of every silo
/// (<paramref name="metricsAddresses"/>: job metrics are per process) and one gRPC channel per job port.
/// </summary>
internal sealed class FocusClient(HttpClient http, Uri baseAddress, IReadOnlyList<Uri> metricsAddresses) : IDisposable
{
    private const int MaxRetries = 10;
    private static readonly TimeSpan MetricsTimeout = TimeSpan.FromSeconds(15);
    private int _metricsFailures;

    /// <summary>GET /metrics calls that failed or did not answer within 15 s.</summary>
    public int MetricsFailures => Volatile.Read(ref _metricsFailures);

    /// <summary>Latency of a GET (e.g. /channels), or NaN when it fails or takes over 15 s.</summary>
    public async Task<double> ProbeAsync(string path)
    {
        using var timeout = new CancellationTokenSource(MetricsTimeout);
        var started = Stopwatch.GetTimestamp();
        try
        {
            using var response = await http.GetAsync(new Uri(baseAddress, path), timeout.Token);
            await response.Content.ReadAsByteArrayAsync(timeout.Token);
            return response.IsSuccessStatusCode ? Stopwatch.GetElapsedTime(started).TotalMilliseconds : double.NaN;
        }
        catch (Exception ex) when (ex is HttpRequestException or TaskCanceledException)
        {
            return double.NaN;
        }
    }
    private readonly Dictionary<int, GrpcChannel> _channels = [];
    private readonly Lock _gate = new();

    public HttpClient Http => http;

    public static string ConfigureBody(int channelMin, int channels) =>
        $$"""{"view_type":0,"displayInfo":{"height":1000},"channels":{"min":{{channelMin}},"max":{{channelMin + channels - 1}}},"nfftSelection":1024,"displayTimeAxisDuration":30}""";

    /// <summary>POST /configure; a 503 with Retry-After is retried (and counted); latency is that of the answered call.</summary>
    public async Task<ConfigureResult> ConfigureAsync(int channelMin, int channels, CancellationToken ct)
    {
        var retries = 0;
        while (true)
        {
            using var content = new StringContent(ConfigureBody(channelMin, channels), System.Text.Encoding.UTF8, "application/json");
            var started = Stopwatch.GetTimestamp();
            HttpResponseMessage response;
            try
            {
                response = await http.PostAsync(new Uri(baseAddress, "configure"), content, ct);
            }
            catch (Exception ex) when (ex is HttpRequestException || (ex is TaskCanceledException && !ct.IsCancellationRequested))
            {
                return new ConfigureResult(null, Stopwatch.GetElapsedTime(started).TotalMilliseconds, 0, retries, ex.Message);
            }
            using (response)
            {
                var body = await response.Content.ReadAsStringAsync(ct);
                var ms = Stopwatch.GetElapsedTime(started).TotalMilliseconds;
                if (response.StatusCode == HttpStatusCode.OK)
                {
                    var answer = JsonSerializer.Deserialize<ConfigureAnswer>(body)!;
                    var host = answer.StreamUrl is { Length: > 0 } h && h != "0.0.0.0" ? h : baseAddress.Host;
                    return new ConfigureResult(new Job(answer.JobId!, host, answer.StreamPort, answer.StreamAmount, answer.LinesDt, channelMin),
                        ms, 200, retries, null);
                }
                if (response.StatusCode == HttpStatusCode.ServiceUnavailable && retries < MaxRetries)
                {
                    retries++;
                    var wait = response.Headers.RetryAfter?.Delta ?? TimeSpan.FromSeconds(1);
                    await Task.Delay(wait > TimeSpan.FromSeconds(2) ? TimeSpan.FromSeconds(2) : wait, ct);
                    continue;
                }
                return new ConfigureResult(null, ms, (int)response.StatusCode, retries, body.Length > 300 ? body[..300] : body);
            }
        }
    }

    /// <summary>DELETE /job/{id}: status code and milliseconds.</summary>
    public async Task<(int Status, double Milliseconds)> DeleteAsync(string jobId, CancellationToken ct)
    {
        var started = Stopwatch.GetTimestamp();
        try
        {
            using var response = await http.DeleteAsync(new Uri(baseAddress, $"job/{Uri.EscapeDataString(jobId)}"), ct);
            return ((int)response.StatusCode, Stopwatch.GetElapsedTime(started).TotalMilliseconds);
        }
        catch (Exception ex) when (ex is HttpRequestException || (ex is TaskCanceledException && !ct.IsCancellationRequested))
        {
            return (0, Stopwatch.GetElapsedTime(started).TotalMilliseconds); // 0: no answer (refused or timed out)
        }
    }

    /// <summary>Values of the named Prometheus series, summed over labels and over every silo's <c>GET /metrics</c>.</summary>
    public async Task<Dictionary<string, double>> MetricsAsync(params string[] names)
    {
        var result = new Dictionary<string, double>();
        foreach (var one in await MetricsPerSiloAsync(names))
            foreach (var (name, value) in one)
                result[name] = result.GetValueOrDefault(name) + value;
        return result;
    }

    /// <summary>The named series of each silo (summed over labels), in the order of the addresses; empty for a silo that did not answer.</summary>
    public async Task<Dictionary<string, double>[]> MetricsPerSiloAsync(params string[] names) =>
        await Task.WhenAll(metricsAddresses.Select(address => MetricsOfAsync(address, names)));

    private async Task<Dictionary<string, double>> MetricsOfAsync(Uri address, string[] names)
    {
        var result = new Dictionary<string, double>();
        string text;
        using var timeout = new CancellationTokenSource(MetricsTimeout);
        try { text = await http.GetStringAsync(new Uri(address, "metrics"), timeout.Token); }
        catch (Exception ex) when (ex is HttpRequestException or TaskCanceledException)
        {
            Interlocked.Increment(ref _metricsFailures);
            return result;
        }
        foreach (var raw in text.Split('\n'))
        {
            var line = raw.Trim();
            if (line.Length == 0 || line[0] == '#') continue;
            foreach (var name in names)
            {
                if (!line.StartsWith(name, StringComparison.Ordinal)) continue;
                var rest = line[name.Length..];
                if (rest.Length == 0 || (rest[0] != ' ' && rest[0] != '{')) continue;
                var valueStart = rest[0] == '{' ? rest.IndexOf('}') + 1 : 0;
                var parts = rest[valueStart..].Trim().Split(' ');
                if (double.TryParse(parts[0], NumberStyles.Float, CultureInfo.InvariantCulture, out var v))
                    result[name] = result.GetValueOrDefault(name) + v;
            }
        }
        return result;
    }

    /// <summary>One GrpcChannel (one HTTP/2 connection) per job server.</summary>
    public DataStreamService.DataStreamServiceClient Stream(Job job)
    {
        lock (_gate)
        {
            if (!_channels.TryGetValue(job.Port, out var channel))
            {
                channel = GrpcChannel.ForAddress($"http://{job.Host}:{job.Port}", new GrpcChannelOptions
                {
                    HttpHandler = new SocketsHttpHandler { EnableMultipleHttp2Connections = true, ConnectTimeout = TimeSpan.FromSeconds(10) },
                    MaxReceiveMessageSize = 64 * 1024 * 1024,
                });
                _channels[job.Port] = channel;
            }
            return new DataStreamService.DataStreamServiceClient(channel);
        }
    }

    public void Forget(Job job)
    {
        lock (_gate)
        {
            if (_channels.Remove(job.Port, out var channel)) channel.Dispose();
        }
    }

    /// <summary>
    /// Opens StreamData(stream 0) and times the first message: milliseconds from <paramref name="configuredAt"/>
    /// (a Stopwatch timestamp taken when /configure answered) to the first message, or null with an error.
    /// </summary>
    public async Task<(double? Milliseconds, string? Error)> TimeFirstLineAsync(Job job, long configuredAt, TimeSpan timeout)
    {
        using var cts = new CancellationTokenSource(timeout);
        try
        {
            using var call = Stream(job).StreamData(new StreamDataRequest { StreamId = 0 }, cancellationToken: cts.Token);
            if (await call.ResponseStream.MoveNext(cts.Token))
                return (Stopwatch.GetElapsedTime(configuredAt).TotalMilliseconds, null);
            return (null, "stream ended before the first line");
        }
        catch (RpcException ex)
        {
            return (null, cts.IsCancellationRequested ? $"no line in {timeout.TotalSeconds:0} s" : $"{ex.StatusCode}: {ex.Status.Detail}");
        }
        catch (OperationCanceledException)
        {
            return (null, $"no line in {timeout.TotalSeconds:0} s");
        }
    }

    public void Dispose()
    {
        lock (_gate)
        {
            foreach (var channel in _channels.Values) channel.Dispose();
            _channels.Clear();
        }
    }
}
