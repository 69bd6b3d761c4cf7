using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Focus.LoadBench;

// GET /waterfall under load: `jobs` polled jobs, each pulled by `threads / jobs` threads every `interval` for `seconds`,
// beside `unpolled` jobs nobody reads (they must emit nothing). Prints a markdown report for docs/PERFORMANCE.md.
CultureInfo.DefaultThreadCurrentCulture = CultureInfo.InvariantCulture;
CultureInfo.CurrentCulture = CultureInfo.InvariantCulture;

var options = new Dictionary<string, string>
{
    ["jobs"] = "20", ["threads"] = "20", ["interval-ms"] = "100", ["seconds"] = "60", ["rows"] = "100", ["unpolled"] = "180",
    ["channels"] = "3", ["nfft"] = "256", ["build"] = "true",
};
for (var i = 0; i < args.Length; i++)
{
    if (!args[i].StartsWith("--", StringComparison.Ordinal) || !options.ContainsKey(args[i][2..]) || i + 1 >= args.Length)
    {
        Console.Error.WriteLine($"usage: Focus.PullBench {string.Join(' ', options.Select(o => $"[--{o.Key} {o.Value}]"))}");
        return 2;
    }
    options[args[i][2..]] = args[++i];
}
int Int(string key) => int.Parse(options[key], CultureInfo.InvariantCulture);
var (jobs, threads, interval, seconds, rowCount, unpolled, channels, nfft) =
    (Int("jobs"), Int("threads"), TimeSpan.FromMilliseconds(Int("interval-ms")), Int("seconds"), Int("rows"), Int("unpolled"), Int("channels"), Int("nfft"));
if (jobs < 1 || threads < jobs || seconds < 1 || seconds > 600 || rowCount is < 1 or > 1000 || unpolled < 0)
{
    Console.Error.WriteLine("need 1 <= jobs <= threads, 1 <= seconds <= 600, 1 <= rows <= 1000, unpolled >= 0");
    return 2;
}

var repo = FindRepoRoot(AppContext.BaseDirectory) ?? throw new InvalidOperationException("Focus.Orleans.sln not found upwards");
if (options["build"] == "true") ServiceProcess.Build(repo, "Silo");
var httpPort = ServiceProcess.FreePort();
var ports = ServiceProcess.FreeRange(jobs + unpolled + 20);
await using var silo = ServiceProcess.Start("silo", repo, "Silo",
[
    $"--Urls=http://127.0.0.1:{httpPort}",
    $"--Focus:Cluster:SiloPort={ServiceProcess.FreePort()}",
    $"--Focus:Cluster:GatewayPort={ServiceProcess.FreePort()}",
    $"--Focus:Streams:PortRange={ports.First}-{ports.Last}",
    "--Focus:Streams:BindAddress=127.0.0.1",
    $"--Focus:Jobs:MaxConcurrent={Math.Max(200, jobs + unpolled)}",
    "--Logging:LogLevel:Default=Warning",
], new Uri($"http://127.0.0.1:{httpPort}/"));
using var http = new HttpClient(new SocketsHttpHandler { MaxConnectionsPerServer = 256 }) { BaseAddress = silo.BaseAddress, Timeout = TimeSpan.FromSeconds(30) };
await silo.WaitReadyAsync(http, TimeSpan.FromSeconds(120), CancellationToken.None, "channels");
Console.Error.WriteLine($"{DateTime.Now:HH:mm:ss} silo pid {silo.Pid} at {silo.BaseAddress}, log {silo.LogPath}");

var created = new List<(string Id, bool Polled)>();
try
{
    for (var j = 0; j < unpolled + jobs; j++)
    {
        var min = 1 + j * channels % 2000;
        var request = new JsonObject
        {
            ["view_type"] = 0, ["displayInfo"] = new JsonObject { ["height"] = 1000 }, ["displayTimeAxisDuration"] = 10, ["nfftSelection"] = nfft,
            ["frequencyRange"] = new JsonObject { ["min"] = 0, ["max"] = 500 }, ["channels"] = new JsonObject { ["min"] = min, ["max"] = min + channels - 1 },
        };
        using var response = await http.PostAsync("configure", new StringContent(request.ToJsonString(), Encoding.UTF8, "application/json"));
        var text = await response.Content.ReadAsStringAsync();
        if (response.StatusCode != HttpStatusCode.OK) throw new InvalidOperationException($"/configure answered {(int)response.StatusCode}: {text}");
        created.Add(((string)JsonNode.Parse(text)!["job_id"]!, j >= unpolled));
    }
    var polled = created.Where(c => c.Polled).Select(c => c.Id).ToArray();
    Console.Error.WriteLine($"{DateTime.Now:HH:mm:ss} {created.Count} jobs configured; {polled.Length} polled by {threads} threads every {interval.TotalMilliseconds} ms for {seconds} s");
    foreach (var id in polled) (await http.GetAsync($"waterfall/{id}/{rowCount}")).Dispose(); // opens the buffers

    var loadBefore = string.Join(' ', File.ReadAllText("/proc/loadavg").Split(' ').Take(3));
    var cpuBefore = Proc.CpuTicks(silo.Pid);
    var results = new ThreadResult[threads];
    var clock = Stopwatch.StartNew();
    var end = TimeSpan.FromSeconds(seconds);
    var workers = Enumerable.Range(0, threads).Select(t => new Thread(() => results[t] = Poll(http, polled[t % polled.Length], rowCount, interval, clock, end))
        { IsBackground = true, Name = $"poller {t}" }).ToList();
    workers.ForEach(w => w.Start());
    workers.ForEach(w => w.Join());
    var wall = clock.Elapsed.TotalSeconds;
    var cpuSeconds = (Proc.CpuTicks(silo.Pid) - cpuBefore) / Proc.TicksPerSecond;
    var loadAfter = string.Join(' ', File.ReadAllText("/proc/loadavg").Split(' ').Take(3));

    long emittedPolled = 0, dropped = 0, emittedUnpolled = 0;
    foreach (var (id, isPolled) in created)
    {
        var m = JsonNode.Parse(await http.GetStringAsync($"metadata/{id}"))!;
        if (isPolled) (emittedPolled, dropped) = (emittedPolled + (long)m["lines_emitted"]!, dropped + (long)m["dropped_lines"]!);
        else emittedUnpolled += (long)m["lines_emitted"]!;
    }

    var latencies = results.SelectMany(r => r.LatenciesMs).Order().ToArray();
    var statuses = results.SelectMany(r => r.Statuses).GroupBy(s => s).OrderBy(g => g.Key).Select(g => $"{g.Key}: {g.Count()}");
    double P(double q) => latencies[Math.Min(latencies.Length - 1, (int)Math.Ceiling(q * latencies.Length) - 1)];
    var rows = results.Sum(r => r.Rows);
    Console.WriteLine($"""
        ### GET /waterfall: {polled.Length} jobs polled by {threads} threads every {interval.TotalMilliseconds} ms for {seconds} s, {unpolled} unpolled jobs beside them

        Jobs: MULTICHANNEL, {channels} channels, nfft {nfft}, 0–500 Hz, 100 lines/s; row_count {rowCount}. Host: {Environment.ProcessorCount} cores, load {loadBefore} before, {loadAfter} after.

        | measure | value |
        |---|---|
        | pulls | {latencies.Length} ({latencies.Length / wall:F1}/s) — {string.Join(", ", statuses)} |
        | latency p50 / p95 / p99 / max | {P(0.50):F1} / {P(0.95):F1} / {P(0.99):F1} / {latencies[^1]:F1} ms |
        | rows pulled | {rows} ({rows / wall:F0}/s), {results.Sum(r => r.Bytes) / wall / 1e6:F2} MB/s of JSON |
        | rows out of order or repeated | {results.Sum(r => r.OutOfOrder)} |
        | missed ticks (a pull took longer than the interval) | {results.Sum(r => r.Missed)} |
        | polled jobs: lines emitted / dropped (from /metadata) | {emittedPolled} / {dropped} |
        | unpolled jobs: lines emitted (must be 0) | {emittedUnpolled} |
        | silo CPU during the run | {cpuSeconds / wall:F2} cores |
        | silo RSS after | {Proc.RssBytes(silo.Pid) / 1e6:F0} MB |
        """);
    return emittedUnpolled == 0 && results.All(r => r.Statuses.All(s => s is 200 or 201)) ? 0 : 1;
}
finally
{
    foreach (var (id, _) in created)
    {
        try { (await http.DeleteAsync($"job/{id}")).Dispose(); }
        catch (HttpRequestException) { }
    }
    await silo.StopAsync(TimeSpan.FromSeconds(10));
}

static ThreadResult Poll(HttpClient http, string jobId, int rowCount, TimeSpan interval, Stopwatch clock, TimeSpan end)
{
    var result = new ThreadResult();
    var next = clock.Elapsed;
    long lastStart = long.MinValue;
    while (clock.Elapsed < end)
    {
        var started = Stopwatch.GetTimestamp();
        using (var response = http.Send(new HttpRequestMessage(HttpMethod.Get, $"waterfall/{jobId}/{rowCount}")))
        {
            var body = response.Content.ReadAsByteArrayAsync().GetAwaiter().GetResult(); // the whole answer is part of the latency
            result.LatenciesMs.Add(Stopwatch.GetElapsedTime(started).TotalMilliseconds);
            result.Statuses.Add((int)response.StatusCode);
            result.Bytes += body.Length;
            if (response.StatusCode == HttpStatusCode.Created) ScanRows(body, ref lastStart, result);
        }
        next += interval;
        var wait = next - clock.Elapsed;
        if (wait > TimeSpan.Zero) Thread.Sleep(wait);
        else
        {
            result.Missed++;
            next = clock.Elapsed;
        }
    }
    return result;
}

// Rows and their order, without building a document: every "startTimestamp" value.
static void ScanRows(byte[] body, ref long lastStart, ThreadResult result)
{
    var reader = new Utf8JsonReader(body);
    while (reader.Read())
    {
        if (reader.TokenType != JsonTokenType.PropertyName || !reader.ValueTextEquals("startTimestamp"u8)) continue;
        reader.Read();
        var start = reader.GetInt64();
        result.Rows++;
        if (start <= lastStart) result.OutOfOrder++; // several threads on one job share its lines, so only one thread a job sees them all
        lastStart = start;
    }
}

static string? FindRepoRoot(string from)
{
    for (var dir = new DirectoryInfo(from); dir is not null; dir = dir.Parent)
        if (File.Exists(Path.Combine(dir.FullName, "Focus.Orleans.sln"))) return dir.FullName;
    return null;
}

internal sealed class ThreadResult
{
    public List<double> LatenciesMs { get; } = [];
    public List<int> Statuses { get; } = [];
    public long Rows { get; set; }
    public long Bytes { get; set; }
    public long OutOfOrder { get; set; }
    public long Missed { get; set; }
}
