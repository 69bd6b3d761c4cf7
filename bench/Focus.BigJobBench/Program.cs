using System.Collections.Concurrent;
using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Sockets;
using System.Text;
using System.Text.Json.Nodes;
using Focus.Analyzer.Streaming.Protos;
using Grpc.Core;
using Grpc.Net.Client;

// Usage: dotnet run -c Release --project bench/Focus.BigJobBench -- [seconds per phase] [big jobs] [big job's /configure body]
// (defaults 60, 1, and the largest full-fiber MULTICHANNEL the default admission limits let in; the silo's compute
// budget admits two). Builds nothing: run
// `dotnet build Silo -c Release` first. Phase 1: a normal job (the contract's MULTICHANNEL 1-50, 100 lines/s) read
// alone; phase 2: the big job created and read beside it. /ack is asked 20 times a second throughout.
CultureInfo.DefaultThreadCurrentCulture = CultureInfo.InvariantCulture;
CultureInfo.CurrentCulture = CultureInfo.InvariantCulture;
var phase = TimeSpan.FromSeconds(args.Length > 0 ? double.Parse(args[0], CultureInfo.InvariantCulture) : 60);
// 2222 channels x internal nfft 65536 x 133.3 lines/s (hop 15) = 1.94e10 channel-samples/s, under the 2e10 limit;
// 0-250 Hz keeps its output (8193 values a line x 2222 streams x 4 B x 133 lines/s = 9.7e9 B/s) under 2e10 B/s.
var bigJobs = args.Length > 1 ? int.Parse(args[1], CultureInfo.InvariantCulture) : 1;
var bigBody = args.Length > 2 ? args[2]
    : """{"view_type":0,"displayInfo":{"height":1000},"channels":{"min":1,"max":2222},"nfftSelection":65536,"displayTimeAxisDuration":7.5,"frequencyRange":{"min":0,"max":250}}""";
const string NormalBody = """{"view_type":0,"displayInfo":{"height":1000},"channels":{"min":1,"max":50},"nfftSelection":1024,"displayTimeAxisDuration":10,"frequencyRange":{"min":0,"max":500}}""";
var settle = TimeSpan.FromSeconds(5);

var root = FindRepoRoot();
var silo = Path.Combine(root, "Silo", "bin", "Release", "net10.0", "Focus.Silo.dll");
if (!File.Exists(silo)) throw new FileNotFoundException("build it first: dotnet build Silo -c Release", silo);
var port = FreePort();
int[] ports = [FreePort(), FreePort()];
var streams = 44000 + Environment.ProcessId % 1000 * 3;
string[] siloArgs =
[
    $"--Urls=http://127.0.0.1:{port}", $"--Focus:Cluster:SiloPort={ports[0]}", $"--Focus:Cluster:GatewayPort={ports[1]}",
    $"--Focus:Streams:PortRange={streams}-{streams + 19}", "--Focus:Streams:BindAddress=127.0.0.1", "--Logging:LogLevel:Default=Warning",
];
var psi = new ProcessStartInfo("dotnet") { WorkingDirectory = Path.Combine(root, "Silo"), RedirectStandardOutput = true, RedirectStandardError = true };
psi.ArgumentList.Add(silo);
foreach (var a in siloArgs) psi.ArgumentList.Add(a);
Console.WriteLine($"service: dotnet Silo/bin/Release/net10.0/Focus.Silo.dll {string.Join(' ', siloArgs)}");
Console.WriteLine($"load average before: {File.ReadAllText("/proc/loadavg").Trim()}");
using var service = Process.Start(psi)!;
var serviceLog = new ConcurrentQueue<string>();
service.OutputDataReceived += (_, e) => { if (e.Data is { } line) { serviceLog.Enqueue(line); while (serviceLog.Count > 200 && serviceLog.TryDequeue(out string? _)) { } } };
service.ErrorDataReceived += (_, e) => { if (e.Data is { } line) serviceLog.Enqueue(line); };
service.BeginOutputReadLine();
service.BeginErrorReadLine();

using var http = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{port}/"), Timeout = TimeSpan.FromSeconds(60) };
using var stop = new CancellationTokenSource();
var rows = new List<string>();
try
{
    var ready = DateTime.UtcNow + TimeSpan.FromSeconds(90);
    while (true)
    {
        try { if ((await http.GetAsync("channels")).StatusCode == HttpStatusCode.OK) break; } catch (HttpRequestException) { }
        if (DateTime.UtcNow > ready || service.HasExited) throw new TimeoutException("the service did not become ready within 90 s\n" + string.Join('\n', serviceLog));
        await Task.Delay(200);
    }

    var normal = await Configure(NormalBody);
    Console.WriteLine($"normal job {normal.Id}: {normal.LinesPerSecond:F1} lines/s expected");
    var normalReader = new Reader(normal);
    var readers = new List<Task> { normalReader.RunAsync(stop.Token) };
    var ack = new AckProbe(http);
    var probing = ack.RunAsync(stop.Token);

    await Task.Delay(settle);
    rows.Add(await Measure("normal job alone", normalReader, [], ack));

    var bigReaders = new List<Reader>();
    Job big = null!;
    for (var i = 0; i < bigJobs; i++)
    {
        big = await Configure(bigBody);
        using (var metadata = await http.GetAsync($"metadata/{big.Id}"))
        {
            var m = JsonNode.Parse(await metadata.Content.ReadAsStringAsync())!;
            Console.WriteLine($"big job {big.Id}: {big.LinesPerSecond:F1} lines/s expected, {big.StreamAmount} streams, estimated {(double?)m["resources"]?["estimated_cpu_cores"]} cores");
        }
        var bigReader = new Reader(big);
        bigReaders.Add(bigReader);
        readers.Add(bigReader.RunAsync(stop.Token));
    }
    await Task.Delay(settle);
    rows.Add(await Measure(bigJobs == 1 ? "beside the largest admitted job, read" : $"beside {bigJobs} of the largest admitted jobs, read", normalReader, bigReaders, ack));

    await stop.CancelAsync();
    await Task.WhenAll([.. readers, probing]);
    Console.WriteLine();
    Console.WriteLine($"| phase ({phase.TotalSeconds:F0} s each) | normal job lines/s (expected {normal.LinesPerSecond:F0}) | normal job rows missing | normal job lag p50 / p95 / max ms | /ack p50 / p95 / p99 / max ms (calls) | big job lines/s, each (expected {big.LinesPerSecond:F0}) | service CPU (cores) |");
    Console.WriteLine("|---|--:|--:|--:|--:|--:|--:|");
    foreach (var row in rows) Console.WriteLine(row);
    Console.WriteLine($"errors: normal {normalReader.Error ?? "none"}, big {string.Join(", ", bigReaders.Select(r => r.Error ?? "none"))}, /ack failures {ack.Failures}");
    Console.WriteLine($"load average after: {File.ReadAllText("/proc/loadavg").Trim()}");
}
finally
{
    if (!stop.IsCancellationRequested) await stop.CancelAsync();
    if (!service.HasExited) { service.Kill(entireProcessTree: true); await service.WaitForExitAsync(); }
}

async Task<string> Measure(string name, Reader normalReader, List<Reader> bigReaders, AckProbe ack)
{
    var cpu = CpuSeconds();
    var watch = Stopwatch.StartNew();
    normalReader.Open();
    foreach (var r in bigReaders) r.Open();
    ack.Open();
    await Task.Delay(phase);
    var (lines, missing, lags) = normalReader.Close();
    long? bigLines = bigReaders.Count == 0 ? null : bigReaders.Sum(r => r.Close().Lines) / bigReaders.Count;
    var acks = ack.Close();
    var seconds = watch.Elapsed.TotalSeconds;
    var cores = (CpuSeconds() - cpu) / seconds;
    var row = $"| {name} | {lines / seconds:F1} | {missing} | {P(lags, 50):F0} / {P(lags, 95):F0} / {(lags.Count > 0 ? lags.Max() : double.NaN):F0} | "
        + $"{P(acks, 50):F1} / {P(acks, 95):F1} / {P(acks, 99):F1} / {(acks.Count > 0 ? acks.Max() : double.NaN):F1} ({acks.Count}) | "
        + $"{(bigLines is { } b ? (b / seconds).ToString("F1", CultureInfo.InvariantCulture) : "–")} | {cores:F2} |";
    Console.WriteLine(row);
    return row;
}

async Task<Job> Configure(string body)
{
    using var response = await http.PostAsync("configure", new StringContent(body, Encoding.UTF8, "application/json"));
    var text = await response.Content.ReadAsStringAsync();
    if (response.StatusCode != HttpStatusCode.OK) throw new InvalidOperationException($"/configure answered {(int)response.StatusCode}: {text}");
    var job = JsonNode.Parse(text)!;
    return new Job((string)job["job_id"]!, (string)job["stream_url"]!, (int)job["stream_port"]!, (int)job["stream_amount"]!, 1 / (double)job["lines_dt"]!);
}

double CpuSeconds()
{
    // utime + stime of the service (fields 14 and 15 of /proc/pid/stat, in clock ticks of 1/100 s)
    var stat = File.ReadAllText($"/proc/{service.Id}/stat");
    var fields = stat[(stat.LastIndexOf(')') + 2)..].Split(' ');
    return (long.Parse(fields[11], CultureInfo.InvariantCulture) + long.Parse(fields[12], CultureInfo.InvariantCulture)) / 100.0;
}

static double P(List<double> values, double p)
{
    if (values.Count == 0) return double.NaN;
    var sorted = values.Order().ToArray();
    return sorted[Math.Clamp((int)Math.Ceiling(p / 100 * sorted.Length) - 1, 0, sorted.Length - 1)];
}

static int FreePort()
{
    using var listener = new TcpListener(IPAddress.Loopback, 0);
    listener.Start();
    return ((IPEndPoint)listener.LocalEndpoint).Port;
}

static string FindRepoRoot()
{
    for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        if (File.Exists(Path.Combine(dir.FullName, "Focus.Orleans.sln"))) return dir.FullName;
    throw new DirectoryNotFoundException("run from inside the repository");
}

internal sealed record Job(string Id, string Host, int Port, int StreamAmount, double LinesPerSecond);

/// <summary>Reads stream 0 of a job; in a window, counts lines, rows skipped, and each line's lag behind the wall clock.</summary>
internal sealed class Reader(Job job)
{
    private readonly Lock _gate = new();
    private bool _open;
    private long _lines;
    private long _missing;
    private List<double> _lags = [];

    public string? Error { get; private set; }

    public void Open()
    {
        lock (_gate) (_open, _lines, _missing, _lags) = (true, 0, 0, []);
    }

    public (long Lines, long Missing, List<double> Lags) Close()
    {
        lock (_gate)
        {
            _open = false;
            return (_lines, _missing, _lags);
        }
    }

    public async Task RunAsync(CancellationToken cancellationToken)
    {
        try
        {
            using var channel = GrpcChannel.ForAddress($"http://{job.Host}:{job.Port}", new GrpcChannelOptions { MaxReceiveMessageSize = 64 * 1024 * 1024 });
            using var call = new DataStreamService.DataStreamServiceClient(channel).StreamData(new StreamDataRequest { StreamId = 0 }, cancellationToken: cancellationToken);
            long previous = -1;
            while (await call.ResponseStream.MoveNext(cancellationToken))
            {
                var message = call.ResponseStream.Current;
                var now = DateTimeOffset.UtcNow.ToUnixTimeMilliseconds();
                lock (_gate)
                {
                    for (var i = 0; i < message.RowIndex.Count; i++)
                    {
                        var row = message.RowIndex[i];
                        if (_open)
                        {
                            _lines++;
                            if (previous >= 0 && row > previous + 1) _missing += row - previous - 1;
                            if (i < message.TimestampInMilis.Count) _lags.Add(now - message.TimestampInMilis[i]);
                        }
                        previous = row;
                    }
                }
            }
        }
        catch (Exception ex) when (cancellationToken.IsCancellationRequested && ex is RpcException or OperationCanceledException)
        {
        }
        catch (Exception ex)
        {
            Error = ex.Message;
        }
    }
}

/// <summary>GET /ack 20 times a second, one at a time; in a window, each answer's latency.</summary>
internal sealed class AckProbe(HttpClient http)
{
    private readonly Lock _gate = new();
    private bool _open;
    private List<double> _latencies = [];

    public int Failures { get; private set; }

    public void Open()
    {
        lock (_gate) (_open, _latencies) = (true, []);
    }

    public List<double> Close()
    {
        lock (_gate)
        {
            _open = false;
            return _latencies;
        }
    }

    public async Task RunAsync(CancellationToken cancellationToken)
    {
        var next = Stopwatch.GetTimestamp();
        while (!cancellationToken.IsCancellationRequested)
        {
            var started = Stopwatch.GetTimestamp();
            try
            {
                using var response = await http.GetAsync("ack", cancellationToken);
                var ms = Stopwatch.GetElapsedTime(started).TotalMilliseconds;
                if (response.StatusCode != HttpStatusCode.OK) Failures++;
                lock (_gate) if (_open) _latencies.Add(ms);
            }
            catch (Exception) when (cancellationToken.IsCancellationRequested)
            {
                return;
            }
            catch (HttpRequestException)
            {
                Failures++;
            }
            next += Stopwatch.Frequency / 20;
            var wait = Stopwatch.GetElapsedTime(Stopwatch.GetTimestamp(), next);
            if (wait > TimeSpan.Zero)
            {
                try { await Task.Delay(wait, cancellationToken); } catch (OperationCanceledException) { return; }
            }
            else next = Stopwatch.GetTimestamp(); // behind: do not burst to catch up
        }
    }
}
