using System.Diagnostics;
using System.Globalization;
using System.Runtime.InteropServices;
using System.Text;
using BenchmarkDotNet.Running;
using Focus.Analyzer.Spectral;

namespace Focus.Bench.Spectrogram;

/// <summary>
/// Yardstick mode (/work/shared/bench/README.md, "Plugging in an engine"):
///   Spectrogram CASE THREADS RUNS [DUMPDIR]   → one JSON line; DUMPDIR/focus_CASE.f32 for the agreement check.
///   FOCUS_BENCH_WIDTH=Scalar|Vector128|Vector256|Vector512 caps the vector width; FOCUS_BENCH_NAME renames the impl.
/// BenchmarkDotNet mode:
///   Spectrogram bdn [BenchmarkDotNet arguments, e.g. --filter '*']
/// Per-stage timings of the kernel:
///   Spectrogram stages CASE [REPEATS]
/// Channel-samples/s of narrow (frames in the lanes) against wide jobs:
///   Spectrogram narrow [NFFT HOP ROUNDS]
/// </summary>
public static class Program
{
    public static int Main(string[] args)
    {
        if (args.Length > 0 && args[0] == "bdn")
        {
            BenchmarkSwitcher.FromAssembly(typeof(Program).Assembly).Run(args[1..]);
            return 0;
        }
        if (args.Length > 1 && args[0] == "stages")
        {
            StageProfile.Run(Case.Get(args[1]), args.Length > 2 ? int.Parse(args[2], CultureInfo.InvariantCulture) : 5);
            return 0;
        }
        if (args.Length > 0 && args[0] == "narrow")
        {
            int Arg(int i, int fallback) => args.Length > i ? int.Parse(args[i], CultureInfo.InvariantCulture) : fallback;
            NarrowJobs.Run(Arg(1, 1024), Arg(2, 256), Arg(3, 5),
                Enum.TryParse(Environment.GetEnvironmentVariable("FOCUS_BENCH_WIDTH"), out SimdWidth nw) ? nw : SimdSpectrogramEngine.BestWidth);
            return 0;
        }
        if (args.Length < 3)
        {
            Console.Error.WriteLine("usage: Spectrogram CASE THREADS RUNS [DUMPDIR] | Spectrogram bdn [--filter ...]");
            return 2;
        }
        return Yardstick(Case.Get(args[0]), int.Parse(args[1], CultureInfo.InvariantCulture),
            int.Parse(args[2], CultureInfo.InvariantCulture), args.Length > 3 ? args[3] : null);
    }

    private static int Yardstick(Case cs, int threads, int runs, string? dumpDir)
    {
        string name = Environment.GetEnvironmentVariable("FOCUS_BENCH_NAME") ?? "focus";
        SimdWidth width = Enum.TryParse(Environment.GetEnvironmentVariable("FOCUS_BENCH_WIDTH"), out SimdWidth w)
            ? w : SimdSpectrogramEngine.BestWidth;
        float[] x = cs.GenerateInput();
        var output = new float[(long)cs.C * cs.Frames * cs.Bins];
        var runner = new StftRunner(cs, x, output, threads, new SimdSpectrogramEngine(FftPlanCache.Shared, width));

        var times = new double[runs];
        var cpu = new double[runs];
        using Process self = Process.GetCurrentProcess();
        runner.Run(); // warm-up: JIT, first touch
        long allocated = GC.GetAllocatedBytesForCurrentThread();
        for (int r = 0; r < runs; r++)
        {
            self.Refresh();
            TimeSpan cpuStart = self.TotalProcessorTime;
            long start = Stopwatch.GetTimestamp();
            runner.Run();
            times[r] = Stopwatch.GetElapsedTime(start).TotalSeconds;
            self.Refresh();
            cpu[r] = (self.TotalProcessorTime - cpuStart).TotalSeconds;
        }
        allocated = GC.GetAllocatedBytesForCurrentThread() - allocated;

        if (dumpDir != null)
        {
            using FileStream fs = File.Create(Path.Combine(dumpDir, $"{name}_{cs.Name}.f32"));
            int rowLength = cs.Frames * cs.Bins;
            foreach (int c in new SortedSet<int> { 0, cs.C / 2, cs.C - 1 })
                fs.Write(MemoryMarshal.AsBytes(output.AsSpan(c * rowLength, rowLength)));
        }

        double[] sorted = (double[])times.Clone();
        Array.Sort(sorted);
        var inv = CultureInfo.InvariantCulture;
        string list = string.Join(",", Array.ConvertAll(times, t => t.ToString("R", inv)));
        var json = new StringBuilder();
        json.Append(inv, $"{{\"impl\":\"{name}\",\"case\":\"{cs.Name}\",\"threads\":{threads}");
        json.Append(inv, $",\"median_s\":{sorted[runs / 2].ToString("R", inv)},\"min_s\":{sorted[0].ToString("R", inv)}");
        json.Append(inv, $",\"runs_s\":[{list}],\"times\":[{list}]");
        Array.Sort(cpu);
        json.Append(inv, $",\"cpu_median_s\":{cpu[runs / 2].ToString("R", inv)},\"cpu_min_s\":{cpu[0].ToString("R", inv)}");
        json.Append(inv, $",\"C\":{cs.C},\"T\":{cs.T},\"nfft\":{cs.Nfft},\"hop\":{cs.Hop},\"frames\":{cs.Frames},\"nb\":{cs.Bins}");
        json.Append(inv, $",\"width\":\"{width}\",\"alloc_bytes_main_thread\":{allocated},\"dotnet\":\"{RuntimeInformation.FrameworkDescription}\"}}");
        Console.WriteLine(json.ToString());
        return 0;
    }
}
