// Historic playback throughput: configures a MULTICHANNEL historic job on a running service, reads every stream
// of it at once to the end, and reports channel-samples per second, time to the first line and the service's
// peak memory (VmHWM of --pid).
//   dotnet run -c Release --project bench/Focus.HistoricBench -- --url http://127.0.0.1:5077 --from 1746057600 \
//       --seconds 600 --channels 256 --nfft 1024 --height 200 --duration 10 --fmax 100 [--pid SILO_PID]
// The playback alone, in this process (InProcess.cs; defaults: the yardstick's case A shape):
//   dotnet bench/Focus.HistoricBench/bin/Release/net10.0/Focus.HistoricBench.dll play [--mode play|read|kernel] \
//       [--dir /tmp/focus-historic-bench] [--channels 256 --seconds 120 --nfft 1024 --hop 256 --fmax 1000] [--gate N] [--slices N] [--repeat 5]

// `reads FILE...` measures reading recordings from the page cache instead (ReadBench.cs; no service needed).
using System.Diagnostics;
using System.Globalization;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Focus.Analyzer.Streaming.Protos;
using Grpc.Net.Client;

if (args is ["reads", .. var files]) return Focus.HistoricBench.ReadBench.Run(files);

var a = args.Select((v, i) => (v, i)).Where(p => p.v.StartsWith("--", StringComparison.Ordinal))
    .ToDictionary(p => p.v[2..], p => p.i + 1 < args.Length ? args[p.i + 1] : "");
string Arg(string name, string fallback) => a.TryGetValue(name, out var v) ? v : fallback;
if (args.Length > 0 && args[0] == "play") return await Focus.HistoricBench.InProcess.RunAsync(Arg);
var url = Arg("url", "http://127.0.0.1:5000");
var from = long.Parse(Arg("from", "0"), CultureInfo.InvariantCulture);
var seconds = long.Parse(Arg("seconds", "600"), CultureInfo.InvariantCulture);
var channels = int.Parse(Arg("channels", "256"), CultureInfo.InvariantCulture);
var body = new JsonObject
{
    ["view_type"] = 0,
    ["displayInfo"] = new JsonObject { ["height"] = int.Parse(Arg("height", "200"), CultureInfo.InvariantCulture) },
    ["channels"] = new JsonObject { ["min"] = 1, ["max"] = channels },
    ["nfftSelection"] = int.Parse(Arg("nfft", "1024"), CultureInfo.InvariantCulture),
    ["displayTimeAxisDuration"] = double.Parse(Arg("duration", "10"), CultureInfo.InvariantCulture),
    ["frequencyRange"] = new JsonObject { ["min"] = 0, ["max"] = double.Parse(Arg("fmax", "100"), CultureInfo.InvariantCulture) },
    ["start_time"] = from,
    ["end_time"] = from + seconds,
};

using var http = new HttpClient { BaseAddress = new Uri(url), Timeout = TimeSpan.FromMinutes(2) };
var watch = Stopwatch.StartNew();
using var response = await http.PostAsJsonAsync("configure", body);
var job = JsonNode.Parse(await response.Content.ReadAsStringAsync())!.AsObject();
if (!response.IsSuccessStatusCode) { Console.Error.WriteLine(job.ToJsonString()); return 1; }
var configured = watch.Elapsed;
var streams = (int)job["stream_amount"]!;
var prr = (double)job["metadata"]!["prr"]!;
Console.WriteLine($"job {job["job_id"]}: {streams} streams, {job["frequencies_amount"]} bins, lines_dt {job["lines_dt"]}, internal_nfft {job["internal_nfft"]}; configured in {configured.TotalMilliseconds:F0} ms");

using var channel = GrpcChannel.ForAddress($"http://{job["stream_url"]}:{job["stream_port"]}",
    new GrpcChannelOptions { MaxReceiveMessageSize = 64 * 1024 * 1024 });
var client = new DataStreamService.DataStreamServiceClient(channel);
// The HTTP/2 connection to the job's port first: the first line is timed from the calls on a connected channel.
var connectStart = watch.Elapsed;
await channel.ConnectAsync();
var connected = watch.Elapsed - connectStart;
long lines = 0, values = 0;
var perStream = new long[streams];
var firstLine = TimeSpan.Zero;
var readStart = watch.Elapsed;
await Task.WhenAll(Enumerable.Range(0, streams).Select(async s =>
{
    using var call = client.StreamData(new StreamDataRequest { StreamId = s });
    while (await call.ResponseStream.MoveNext(CancellationToken.None))
    {
        var m = call.ResponseStream.Current;
        if (Interlocked.Read(ref lines) == 0) lock (client) if (firstLine == TimeSpan.Zero) firstLine = watch.Elapsed - readStart;
        Interlocked.Add(ref lines, m.DataShapeY);
        perStream[s] += m.DataShapeY;
        Interlocked.Add(ref values, (long)m.DataShapeY * m.DataShapeX);
    }
}));
var elapsed = watch.Elapsed - readStart;
var channelSamples = channels * seconds * prr;
Console.WriteLine($"played {seconds} s x {channels} channels ({channelSamples:E3} channel-samples) in {elapsed.TotalSeconds:F1} s: " +
    $"{channelSamples / elapsed.TotalSeconds:E3} channel-samples/s ({seconds / elapsed.TotalSeconds:F1}x real time; " +
    $"{seconds / Math.Max(1e-3, (elapsed - firstLine).TotalSeconds):F1}x after the first line)");
Console.WriteLine($"lines {lines} over all streams ({perStream.Min()}..{perStream.Max()} per stream), {values * 4 / 1e6:F0} MB of values; first line {firstLine.TotalMilliseconds:F0} ms after the calls started " +
    $"(connecting to the job's port took {connected.TotalMilliseconds:F0} ms before)");
if (a.TryGetValue("pid", out var pid))
    foreach (var line in File.ReadLines($"/proc/{pid}/status").Where(l => l.StartsWith("VmHWM", StringComparison.Ordinal) || l.StartsWith("VmRSS", StringComparison.Ordinal)))
        Console.WriteLine($"service {line}");
await http.DeleteAsync($"job/{job["job_id"]}");
return 0;
