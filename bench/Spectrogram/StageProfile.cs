using System.Diagnostics;
using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
using Focus.Analyzer.Spectral;
using Focus.Analyzer.Spectral.Kernels;

namespace Focus.Bench.Spectrogram;

/// <summary>
/// Per-stage time of the SIMD kernel on a yardstick case (`Spectrogram stages CASE [REPEATS]`): each stage is run
/// alone over as many 16-channel frames as the case has, on one thread, best of REPEATS in process CPU time
/// (wall clock is meaningless while other builds share the cores).
/// </summary>
internal static class StageProfile
{
    public static void Run(Case cs, int repeats)
    {
        const int lanes = 16;
        FftPlan plan = FftPlanCache.Shared.Get(cs.Nfft);
        int m = cs.Nfft / 2;
        long blockFrames = (long)Math.Max(1, cs.C / lanes) * cs.Frames; // kernel calls of 16 lanes
        if (cs.C < lanes) blockFrames = (cs.Frames + lanes - 1) / lanes;
        // 64-byte aligned like the kernel's own scratch and the runner's buffers (a 512-bit row that straddles two
        // lines costs two accesses: unaligned, the first stages measured ~50 % slower).
        float[] frame = AlignedArray.Allocate(cs.Nfft * lanes, out int fo);
        var random = new Random(1);
        for (int i = 0; i < frame.Length; i++) frame[i] = (float)(random.NextDouble() * 2 - 1);
        ReadOnlyMemory<float> frameRows = frame.AsMemory(fo, cs.Nfft * lanes);
        float[] re = AlignedArray.Allocate(m * lanes, out int ro), im = AlignedArray.Allocate(m * lanes, out int io);
        float[] tile = AlignedArray.Allocate(2 * lanes * lanes, out int to);
        var output = new float[lanes * cs.Bins];
        float[] src = AlignedArray.Allocate(lanes * 8192, out int so), dst = AlignedArray.Allocate(lanes * 8192, out int dso);
        float gain = 1f;
        bool threeFirst = ((plan.Log2Length - 3) & 1) == 1; // as BatchedRealFft.Compute decides
        float[] window = plan.Window.ValuesSingle.ToArray();
        using Process self = Process.GetCurrentProcess();
        double Time(Action body)
        {
            body();
            double best = double.MaxValue;
            for (int r = 0; r < repeats; r++)
            {
                self.Refresh();
                TimeSpan t = self.TotalProcessorTime;
                body();
                self.Refresh();
                best = Math.Min(best, (self.TotalProcessorTime - t).TotalSeconds);
            }
            return best;
        }

        // Samples per pass that the runner transposes: C*T (+ overlap of the chunks), in 16x16 tiles.
        long samples = (long)cs.C * cs.T;
        if (cs.C < lanes) samples = blockFrames * lanes * cs.Nfft;
        double transpose = Time(() =>
        {
            for (long done = 0; done < samples; done += 8192 * lanes)
                for (int r = 0; r + lanes <= 8192; r += lanes)
                    Transpose.Tile16x16(ref src[so + r], 8192, ref dst[dso + r * lanes], lanes);
        });
        double first = Time(() =>
        {
            for (long f = 0; f < blockFrames; f++)
                if (threeFirst) BatchedRealFft.FirstThreeStages<Vector512<float>, V512Ops>(plan, window, ref frame[fo], lanes, ref re[ro], ref im[io]);
                else BatchedRealFft.FirstStages<Vector512<float>, V512Ops>(plan, window, ref frame[fo], lanes, ref re[ro], ref im[io]);
        });
        double stages = Time(() =>
        {
            for (long f = 0; f < blockFrames; f++)
            {
                int s = threeFirst ? 16 : 8;
                for (; 2 * s <= m; s <<= 2) BatchedRealFft.StagePair<Vector512<float>, V512Ops>(plan, s, m, ref re[ro], ref im[io]);
                if (s <= m) BatchedRealFft.Stage<Vector512<float>, V512Ops>(plan, s, m, ref re[ro], ref im[io]);
            }
        });
        double power = Time(() =>
        {
            for (long f = 0; f < blockFrames; f++)
                BatchedRealFft.PowerDb<Vector512<float>, V512Ops>(plan, m, ref re[ro], ref im[io], ref output[0], cs.Bins, cs.K0, cs.Bins, ref tile[to], gain, lanes);
        });
        var kernel = new SimdSpectrogramEngine().CreateSimdSpectrum(new SpectrumShape(cs.Nfft, cs.K0, cs.Bins, lanes));
        double whole = Time(() =>
        {
            for (long f = 0; f < blockFrames; f++) kernel.Compute(frameRows.Span, output);
        });
        // The same calls writing into a [16][frames][bins] array as the runner does (rows far apart, ~64 MB for A and B).
        var strided = new float[(long)lanes * cs.Frames * cs.Bins];
        double wholeStrided = Time(() =>
        {
            for (long f = 0; f < blockFrames; f++)
                kernel.Compute(frameRows.Span, lanes, strided.AsSpan((int)(f % cs.Frames) * cs.Bins), cs.Frames * cs.Bins);
        });
        Console.WriteLine($"case {cs.Name}: {blockFrames} kernel calls of 16 lanes, best of {repeats}, process CPU time");
        Console.WriteLine($"  transpose in (16x16 tiles)     {transpose * 1e3,8:F2} ms");
        Console.WriteLine($"  window + gather + first stages {first * 1e3,8:F2} ms");
        Console.WriteLine($"  remaining FFT stages (pairs)   {stages * 1e3,8:F2} ms");
        Console.WriteLine($"  split + power + dB + transpose {power * 1e3,8:F2} ms");
        Console.WriteLine($"  whole kernel (Compute)         {whole * 1e3,8:F2} ms");
        Console.WriteLine($"  whole, rows [16][frames][bins] {wholeStrided * 1e3,8:F2} ms");
    }
}
