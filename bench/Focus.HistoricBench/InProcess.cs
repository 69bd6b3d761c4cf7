using System.Diagnostics;
using System.Diagnostics.Metrics;
using System.Globalization;
using System.Runtime;
using Focus.Analyzer.Historic;
using Focus.Analyzer.Pipeline;
using Focus.Analyzer.Sources.Simulated;
using Focus.Analyzer.Spectral;
using Focus.Analyzer.Streaming;
using Microsoft.Extensions.Logging.Abstractions;

namespace Focus.HistoricBench;

/// <summary>
/// <c>play</c>: the historic playback of the service without the service: the same <see cref="HistoricPlayback"/> the
/// silo runs reads recordings from a folder (written by the simulated recorder on first use), computes in its parallel
/// slices under a <see cref="ComputeGate"/> of <c>--gate</c> slots, and hands DataStream messages to one call per
/// stream, drained here (no protobuf encoding, no gRPC; each message released once counted, as a gRPC call does once written). Reports channel-samples per second of window played, the
/// process's CPU time and the machine's load average. <c>--mode read</c> times the recordings' reader alone;
/// <c>--mode kernel</c> the engine's kernel alone on the same frames held in memory (one thread, all channels).
/// Defaults are the yardstick's case A (256 channels, nfft 1024, hop 256, 0..1000 Hz at 2000 Hz), so the playback
/// compares with <c>bench/Spectrogram A 1 RUNS</c>.
/// </summary>
internal static class InProcess
{
    public static async Task<int> RunAsync(Func<string, string, string> arg)
    {
        var inv = CultureInfo.InvariantCulture;
        var dir = arg("dir", "/tmp/focus-historic-bench");
        var channels = int.Parse(arg("channels", "256"), inv);
        var seconds = double.Parse(arg("seconds", "120"), inv);
        var nfft = int.Parse(arg("nfft", "1024"), inv);
        var hop = int.Parse(arg("hop", "256"), inv);
        var prr = double.Parse(arg("prr", "2000"), inv);
        var fmax = double.Parse(arg("fmax", "1000"), inv);
        var gateSlots = int.Parse(arg("gate", Environment.ProcessorCount.ToString(inv)), inv);
        var slicesArg = arg("slices", "");
        int? slices = slicesArg.Length == 0 ? null : int.Parse(slicesArg, inv);
        var repeat = int.Parse(arg("repeat", "5"), inv);
        var engineName = arg("engine", "simd");
        var mode = arg("mode", "play");
        var from = DateTimeOffset.FromUnixTimeSeconds(long.Parse(arg("from", "1746057600"), inv));

        var files = Record(dir, from, TimeSpan.FromSeconds(seconds + Math.Ceiling(nfft / prr) + 1), channels, prr);
        var firstSample = RecordingBlockReader.SampleIndexOf(from, prr);
        var windowSamples = (long)Math.Round(seconds * prr);
        var bins = (int)Math.Floor(fmax * nfft / prr + 1e-9) + 1;
        var spec = new PipelineSpec
        {
            JobId = "bench",
            IsWaterfall = false,
            ChannelMin = 1,
            ChannelMax = channels,
            Prr = prr,
            Hop = hop,
            Nfft = nfft,
            FirstBin = 0,
            BinCount = bins,
            StreamAmount = channels,
            StartSampleIndex = firstSample,
            Historic = new HistoricPlan { FirstSample = firstSample, EndSample = firstSample + windowSamples, Files = files, StorageRoot = dir },
        };
        var engine = SpectrogramEngines.Create(engineName);
        var channelSamples = (double)channels * windowSamples;
        Console.WriteLine($"{mode}: {channels} channels x {seconds} s at {prr} Hz ({channelSamples:E3} channel-samples), nfft {nfft}, hop {hop}, " +
                          $"{bins} bins; engine {engineName} ({(engine is SimdSpectrogramEngine simd ? simd.MaxWidth : "-")}); " +
                          $"{Environment.ProcessorCount} processors, gate {gateSlots}; {files.Count} files in {dir}; load average {LoadAverage()}");

        Func<Task<(double Seconds, string Detail)>> once = mode switch
        {
            "play" => () => PlayAsync(spec, engine, gateSlots, slices),
            "read" => () => Task.FromResult(Read(spec)),
            "kernel" => () => Task.FromResult(Kernel(spec, engine)),
            _ => throw new ArgumentException($"--mode {mode}: play, read or kernel"),
        };
        await once(); // warm-up: JIT, page cache
        var times = new List<double>();
        using var self = Process.GetCurrentProcess();
        for (var r = 0; r < repeat; r++)
        {
            self.Refresh();
            var cpu = self.TotalProcessorTime;
            var gc = GcCounts.Now();
            var (elapsed, detail) = await once();
            self.Refresh();
            var used = (self.TotalProcessorTime - cpu).TotalSeconds;
            times.Add(elapsed);
            Console.WriteLine(string.Create(inv, $"  run {r + 1}: {elapsed:F3} s, {channelSamples / elapsed:E3} channel-samples/s, CPU {used:F2} s ({used / elapsed:F2} cores){detail}; {GcCounts.Now() - gc}"));
        }
        times.Sort();
        Console.WriteLine(string.Create(inv,
            $"RESULT mode={mode} gate={gateSlots} slices={slices?.ToString(inv) ?? "auto"} best_s={times[0]:F4} median_s={times[times.Count / 2]:F4} " +
            $"best_chs={channelSamples / times[0]:E3} median_chs={channelSamples / times[times.Count / 2]:E3} load=\"{LoadAverage()}\""));
        return 0;
    }

    private static async Task<(double, string)> PlayAsync(PipelineSpec spec, ISpectrogramEngine engine, int gateSlots, int? slices)
    {
        using var meters = new BenchMeterFactory();
        using var gate = new ComputeGate(gateSlots);
        await using var playback = new HistoricPlayback(spec, engine, new StreamInstruments(meters), gate, TimeProvider.System,
            new HistoricOptions(), NullLogger<HistoricPlayback>.Instance, slices);
        var watch = Stopwatch.StartNew();
        // Each call is done with a message once counted, as a gRPC call once written: its pooled lines are reused.
        var calls = Enumerable.Range(0, spec.StreamAmount).Select(s => playback.Attach(s, releasesMessages: true)).ToArray();
        var lines = new long[calls.Length];
        await Task.WhenAll(calls.Select(async (call, i) =>
        {
            using (call)
                await foreach (var message in call.Messages.ReadAllAsync())
                {
                    lines[i] += message.DataShapeY;
                    call.Sent(message);
                }
        }));
        var elapsed = watch.Elapsed.TotalSeconds;
        if (playback.Fault is { } fault) throw new InvalidOperationException(fault);
        return (elapsed, $", {playback.Slices} slices, {lines.Min()}..{lines.Max()} lines per stream");
    }

    private static (double, string) Read(PipelineSpec spec)
    {
        var plan = spec.Historic!;
        var watch = Stopwatch.StartNew();
        using var reader = new RecordingBlockReader(plan, spec.Prr, spec.ChannelMin, spec.ChannelAmount, plan.EndSample, NullLogger.Instance);
        long rows = 0, blocks = 0;
        var next = plan.FirstSample;
        while (reader.Next(next) is { } block)
        {
            rows += block.SampleCount;
            blocks++;
            next = block.FirstSampleIndex + block.SampleCount;
        }
        return (watch.Elapsed.TotalSeconds, $", {blocks} blocks, {rows} rows");
    }

    /// <summary>The engine alone: the window's frames from memory through one kernel over every channel, one thread.</summary>
    private static (double, string) Kernel(PipelineSpec spec, ISpectrogramEngine engine)
    {
        var plan = spec.Historic!;
        var samples = (int)(plan.EndSample - plan.FirstSample);
        var data = s_window ??= ReadWindow(spec, samples);
        var kernel = engine.CreateSpectrum(new SpectrumShape(spec.Nfft, spec.FirstBin, spec.BinCount, spec.ChannelAmount));
        var output = new float[spec.ChannelAmount * spec.BinCount];
        var frames = (samples - spec.Nfft) / spec.Hop + 1;
        var watch = Stopwatch.StartNew();
        for (var f = 0; f < frames; f++)
            kernel.Compute(data.AsSpan(checked(f * spec.Hop * spec.ChannelAmount), spec.Nfft * spec.ChannelAmount), output);
        return (watch.Elapsed.TotalSeconds, $", {frames} frames");
    }

    private static float[]? s_window;

    private static float[] ReadWindow(PipelineSpec spec, int samples)
    {
        var plan = spec.Historic!;
        var data = new float[(long)samples * spec.ChannelAmount];
        using var reader = new RecordingBlockReader(plan, spec.Prr, spec.ChannelMin, spec.ChannelAmount, plan.EndSample, NullLogger.Instance);
        var next = plan.FirstSample;
        while (reader.Next(next) is { } block)
        {
            block.Span[..(block.SampleCount * spec.ChannelAmount)].CopyTo(data.AsSpan((int)((block.FirstSampleIndex - plan.FirstSample) * spec.ChannelAmount)));
            next = block.FirstSampleIndex + block.SampleCount;
        }
        return data;
    }

    /// <summary>The recordings in <paramref name="dir"/>, written first (1-minute files of the simulated fiber) when there are none.</summary>
    private static IReadOnlyList<string> Record(string dir, DateTimeOffset from, TimeSpan span, int channels, double prr)
    {
        var files = Directory.Exists(dir) ? Directory.GetFiles(dir, "*.h5").Order(StringComparer.Ordinal).ToArray() : [];
        if (files.Length > 0) return files;
        Console.WriteLine($"recording {span.TotalSeconds} s of {channels} channels at {prr} Hz into {dir} ...");
        var recorder = new SimulatedRecorder(new SimulatedFiber(new SimulatorOptions { Channels = channels, Prr = prr }), channels);
        return [.. recorder.Record(dir, from, span, TimeSpan.FromMinutes(1), []).Select(f => f.Path)];
    }

    /// <summary>What the garbage collector did during a run: bytes allocated, collections per generation, time paused.</summary>
    private readonly record struct GcCounts(long Allocated, int Gen0, int Gen1, int Gen2, TimeSpan Paused)
    {
        public static GcCounts Now() =>
            new(GC.GetTotalAllocatedBytes(precise: true), GC.CollectionCount(0), GC.CollectionCount(1), GC.CollectionCount(2), GC.GetTotalPauseDuration());

        public static GcCounts operator -(GcCounts a, GcCounts b) =>
            new(a.Allocated - b.Allocated, a.Gen0 - b.Gen0, a.Gen1 - b.Gen1, a.Gen2 - b.Gen2, a.Paused - b.Paused);

        public override string ToString() => string.Create(CultureInfo.InvariantCulture,
            $"allocated {Allocated / 1e6:F0} MB, GCs {Gen0}/{Gen1}/{Gen2} (gen0/1/2), paused {Paused.TotalMilliseconds:F0} ms ({(GCSettings.IsServerGC ? "server" : "workstation")} GC)");
    }

    private static string LoadAverage() =>
        File.Exists("/proc/loadavg") ? string.Join(' ', File.ReadAllText("/proc/loadavg").Split(' ').Take(3)) : "?";

    private sealed class BenchMeterFactory : IMeterFactory
    {
        private readonly List<Meter> _meters = [];

        public Meter Create(MeterOptions options)
        {
            var meter = new Meter(options);
            _meters.Add(meter);
            return meter;
        }

        public void Dispose() => _meters.ForEach(m => m.Dispose());
    }
}
