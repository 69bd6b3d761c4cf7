using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Sockets;
using System.Text;
using System.Text.Json.Nodes;

// Usage: dotnet run --project bench/Focus.SoakBench -c Release -- [cycles] [unknown-id calls] [parallel] [retention]
// (defaults 10000 100000 4 00:01:00). Builds nothing: run `dotnet build Silo -c Release` first. The service inherits the
// environment, so DOTNET_gcServer=0 or DOTNET_GCConserveMemory=N before the command try another GC configuration.
var cycles = args.Length > 0 ? int.Parse(args[0], CultureInfo.InvariantCulture) : 10_000;
var unknownCalls = args.Length > 1 ? int.Parse(args[1], CultureInfo.InvariantCulture) : 100_000;
var parallel = args.Length > 2 ? int.Parse(args[2], CultureInfo.InvariantCulture) : 4;
var retention = args.Length > 3 ? args[3] : "00:01:00";

var root = FindRepoRoot();
var silo = Path.Combine(root, "Silo", "bin", "Release", "net10.0", "Focus.Silo.dll");
if (!File.Exists(silo)) throw new FileNotFoundException("build it first: dotnet build Silo -c Release", silo);
var port = FreePort();
int[] ports = [FreePort(), FreePort()];
var streams = 43000 + Environment.ProcessId % 1000 * 3;
string[] siloArgs =
[
    $"--Urls=http://127.0.0.1:{port}", $"--Focus:Cluster:SiloPort={ports[0]}", $"--Focus:Cluster:GatewayPort={ports[1]}",
    $"--Focus:Streams:PortRange={streams}-{streams + 199}", "--Focus:Streams:BindAddress=127.0.0.1",
    $"--Focus:Jobs:Retention={retention}", "--Logging:LogLevel:Default=Warning",
];
var psi = new ProcessStartInfo("dotnet") { WorkingDirectory = Path.Combine(root, "Silo"), RedirectStandardOutput = true, RedirectStandardError = true };
psi.ArgumentList.Add(silo);
// As the silo's image runs it (Silo/Dockerfile); an explicit MALLOC_ARENA_MAX in the bench's environment wins.
if (Environment.GetEnvironmentVariable("MALLOC_ARENA_MAX") is null) psi.Environment["MALLOC_ARENA_MAX"] = "2";
foreach (var a in siloArgs) psi.ArgumentList.Add(a);
Console.WriteLine($"service: dotnet Silo/bin/Release/net10.0/Focus.Silo.dll {string.Join(' ', siloArgs)}");
using var service = Process.Start(psi)!;
var warnings = 0;
service.OutputDataReceived += (_, e) => { if (e.Data?.Contains(" fail: ") == true || e.Data?.Contains(" crit: ") == true) Interlocked.Increment(ref warnings); };
service.ErrorDataReceived += (_, _) => Interlocked.Increment(ref warnings);
service.BeginOutputReadLine();
service.BeginErrorReadLine();

using var http = new HttpClient(new SocketsHttpHandler { MaxConnectionsPerServer = 64 }) { BaseAddress = new Uri($"http://127.0.0.1:{port}/"), Timeout = TimeSpan.FromSeconds(60) };
var statuses = new System.Collections.Concurrent.ConcurrentDictionary<string, int>();
var clock = Stopwatch.StartNew();
var curve = new List<string>();
try
{
    var ready = DateTime.UtcNow + TimeSpan.FromSeconds(60);
    while (true)
    {
        try { if ((await http.GetAsync("channels")).StatusCode == HttpStatusCode.OK) break; } catch (HttpRequestException) { }
        if (DateTime.UtcNow > ready || service.HasExited) throw new TimeoutException("the service did not become ready within 60 s");
        await Task.Delay(200);
    }
    Sample("ready", 0, 0);

    // Mixed jobs: the issue's SINGLECHANNEL nfft 65536, the contract's MULTICHANNEL, a full-fiber WATERFALL, and a
    // MULTICHANNEL with an Idempotency-Key (repeated once: same job); every cycle creates, reads, deletes, reads.
    string[] bodies =
    [
        """{"view_type":1,"displayInfo":{"height":1000},"channels":{"min":12,"max":12},"nfftSelection":65536,"displayTimeAxisDuration":30}""",
        """{"view_type":0,"displayInfo":{"height":1000},"channels":{"min":1,"max":50},"nfftSelection":1024,"displayTimeAxisDuration":10,"frequencyRange":{"min":0,"max":500}}""",
        """{"view_type":2,"displayInfo":{"height":1000},"channels":{"min":1,"max":2222}}""",
        """{"view_type":0,"displayInfo":{"height":500},"channels":{"min":100,"max":120},"nfftSelection":4096,"displayTimeAxisDuration":30}""",
    ];
    var done = 0;
    var warmup = Math.Min(500, cycles / 10);
    await Run(warmup, async i => await Cycle(bodies[i % bodies.Length], i % 4 == 3 ? $"soak-warm-{i}" : null));
    done += warmup;
    Sample("after warm-up", done, 0);
    var step = Math.Max(1, (cycles - warmup) / 5);
    while (done < cycles)
    {
        var n = Math.Min(step, cycles - done);
        var from = done;
        await Run(n, async i => await Cycle(bodies[(from + i) % bodies.Length], (from + i) % 4 == 3 ? $"soak-{from + i}" : null));
        done += n;
        Sample("cycles", done, 0);
    }

    var unknown = 0;
    var unknownStep = Math.Max(1, unknownCalls / 5);
    while (unknown < unknownCalls)
    {
        var n = Math.Min(unknownStep, unknownCalls - unknown);
        await Run(n, async i =>
        {
            var id = $"{Random.Shared.Next(1, 10_000_000)}-{Random.Shared.Next(1000, 10000)}";
            using var r = i % 2 == 0 ? await http.GetAsync($"metadata/{id}") : await http.DeleteAsync($"job/{id}");
            Count($"unknown {(int)r.StatusCode}");
        }, parallel * 2);
        unknown += n;
        Sample("unknown-id calls", done, unknown);
    }

    // Settle: past the retention every ended job is forgotten; the GC gets its chance meanwhile.
    var settle = TimeSpan.Parse(retention, CultureInfo.InvariantCulture) + TimeSpan.FromSeconds(20);
    for (var t = TimeSpan.Zero; t < settle; t += TimeSpan.FromSeconds(10))
    {
        await Task.Delay(TimeSpan.FromSeconds(10));
        await http.GetAsync("jobs");
    }
    Sample($"idle {settle.TotalSeconds:F0} s (retention {retention} passed)", done, unknown);
    // An idle service collects nothing, so the heap above still holds the garbage of the last cycles. A gcdump
    // (dotnet tool install -g dotnet-gcdump) forces a full collection: what is left is what the service keeps.
    var gcdump = Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.UserProfile), ".dotnet", "tools", "dotnet-gcdump");
    if (File.Exists(gcdump))
    {
        // FOCUS_SOAK_GCDUMP=<file> keeps the dump (`dotnet-gcdump report <file>` lists what the heap holds by type).
        var keep = Environment.GetEnvironmentVariable("FOCUS_SOAK_GCDUMP");
        var dump = keep ?? Path.Combine(Path.GetTempPath(), $"soak-{service.Id}.gcdump");
        using (var collect = Process.Start(new ProcessStartInfo(gcdump, ["collect", "-p", service.Id.ToString(CultureInfo.InvariantCulture), "-o", dump]) { RedirectStandardOutput = true })!)
        {
            await collect.StandardOutput.ReadToEndAsync();
            await collect.WaitForExitAsync();
        }
        if (keep is null) File.Delete(dump);
        await Task.Delay(TimeSpan.FromSeconds(2));
        Sample("after a full collection (dotnet-gcdump)", done, unknown);
    }
    Console.WriteLine();
    Console.WriteLine($"GC: {Environment.GetEnvironmentVariable("DOTNET_gcServer") switch { "0" => "workstation", _ => "server (the silo's default)" }}"
        + (Environment.GetEnvironmentVariable("DOTNET_GCConserveMemory") is { } conserve ? $", GCConserveMemory {conserve}" : ""));
    Console.WriteLine("| stage | cycles | unknown-id calls | elapsed s | RSS MiB | GC heap MiB | GC committed MiB | RSS − committed MiB | gen2 GCs | threads |");
    Console.WriteLine("|---|--:|--:|--:|--:|--:|--:|--:|--:|--:|");
    foreach (var row in curve) Console.WriteLine(row);
    Console.WriteLine();
    Console.WriteLine("answers: " + string.Join(", ", statuses.OrderBy(s => s.Key).Select(s => $"{s.Key}: {s.Value}")));
    Console.WriteLine($"service log lines at fail/crit level or on stderr: {warnings}");
}
finally
{
    if (!service.HasExited) { service.Kill(entireProcessTree: true); await service.WaitForExitAsync(); }
}

async Task Cycle(string body, string? key)
{
    using var request = new HttpRequestMessage(HttpMethod.Post, "configure") { Content = new StringContent(body, Encoding.UTF8, "application/json") };
    if (key is not null) request.Headers.Add("Idempotency-Key", key);
    using var created = await http.SendAsync(request);
    Count($"configure {(int)created.StatusCode}");
    if (created.StatusCode != HttpStatusCode.OK) return;
    var jobId = (string)JsonNode.Parse(await created.Content.ReadAsStringAsync())!["job_id"]!;
    if (key is not null)
    {
        using var again = new HttpRequestMessage(HttpMethod.Post, "configure") { Content = new StringContent(body, Encoding.UTF8, "application/json") };
        again.Headers.Add("Idempotency-Key", key);
        using var repeat = await http.SendAsync(again);
        var same = repeat.StatusCode == HttpStatusCode.OK && (string)JsonNode.Parse(await repeat.Content.ReadAsStringAsync())!["job_id"]! == jobId;
        Count(same ? "idempotent repeat: same job" : $"idempotent repeat: {(int)repeat.StatusCode} other");
    }
    using (var read = await http.GetAsync($"metadata/{jobId}")) Count($"metadata {(int)read.StatusCode}");
    using (var deleted = await http.DeleteAsync($"job/{jobId}")) Count($"delete {(int)deleted.StatusCode}");
    using (var after = await http.GetAsync($"metadata/{jobId}")) Count($"metadata after delete {(int)after.StatusCode}");
}

async Task Run(int count, Func<int, Task> work, int? lanes = null)
{
    var next = -1;
    await Task.WhenAll(Enumerable.Range(0, lanes ?? parallel).Select(async _ =>
    {
        int i;
        while ((i = Interlocked.Increment(ref next)) < count)
        {
            try { await work(i); }
            catch (Exception ex) { Count($"exception {ex.GetType().Name}"); }
        }
    }));
}

void Count(string what) => statuses.AddOrUpdate(what, 1, (_, n) => n + 1);

void Sample(string stage, int cyclesDone, int unknownDone)
{
    var status = File.ReadAllLines($"/proc/{service.Id}/status");
    string Field(string name) => status.First(l => l.StartsWith(name, StringComparison.Ordinal)).Split([' ', '\t'], StringSplitOptions.RemoveEmptyEntries)[1];
    var mib = long.Parse(Field("VmRSS:"), CultureInfo.InvariantCulture) / 1024.0;
    // FOCUS_SOAK_SMAPS=<prefix> keeps the service's memory map at each sample (<prefix>-<n>.smaps), to tell native
    // memory apart: thread stacks, glibc arenas, JIT'ed code, the GC's own regions.
    if (Environment.GetEnvironmentVariable("FOCUS_SOAK_SMAPS") is { } smaps)
        File.Copy($"/proc/{service.Id}/smaps", $"{smaps}-{curve.Count}.smaps", overwrite: true);
    // The service's own GC view (System.Runtime meter on /metrics): the heap after the last collection and what the GC
    // holds committed; RSS beyond that is native (runtime, JIT, sockets, thread stacks) or not yet returned pages.
    var metrics = http.GetStringAsync("metrics").GetAwaiter().GetResult().Split('\n');
    double Metric(string name) => metrics.Where(l => l.StartsWith(name, StringComparison.Ordinal))
        .Sum(l => double.Parse(l[(l.LastIndexOf(' ') + 1)..], CultureInfo.InvariantCulture)) / (1024 * 1024);
    var heap = Metric("dotnet_gc_last_collection_heap_size_bytes{");
    var committed = Metric("dotnet_gc_last_collection_memory_committed_size_bytes{");
    var gen2 = metrics.FirstOrDefault(l => l.StartsWith("dotnet_gc_collections_total{", StringComparison.Ordinal) && l.Contains("gen2", StringComparison.Ordinal))?.Split(' ')[^1] ?? "?";
    var row = $"| {stage} | {cyclesDone} | {unknownDone} | {clock.Elapsed.TotalSeconds:F0} | {mib:F0} | {heap:F0} | {committed:F0} | {mib - committed:F0} | {gen2} | {Field("Threads:")} |";
    curve.Add(row);
    Console.WriteLine(row);
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
