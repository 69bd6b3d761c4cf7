using System.Diagnostics;
using System.Globalization;
using Focus.Analyzer.Spectral;

namespace Focus.Bench.Spectrogram;

/// <summary>
/// Channel-samples per second per core of a job as the pipeline runs it (`Spectrogram narrow [NFFT HOP ROUNDS]`):
/// a time-major <c>[t][channels]</c> input, every frame's line <c>[channels][bins]</c>; narrow jobs (fewer channels
/// than lanes) in batches of <see cref="SimdSpectrumKernel.FramesPerBatch"/> frames (frames in the lanes), wide ones
/// a frame per call (channels in the lanes). The channel counts run interleaved, ROUNDS times, best round in process
/// CPU time (the machine is shared), so their ratios come from the same moments.
/// </summary>
internal static class NarrowJobs
{
    public static void Run(int nfft, int hop, int rounds, SimdWidth width)
    {
        int[] channelCounts = [1, 2, 3, 4, 8, 15, 16, 64, 256];
        const long channelSamples = 8_000_000; // per measurement, whatever the width of the job
        var engine = new SimdSpectrogramEngine(FftPlanCache.Shared, width);
        int bins = nfft / 2 + 1;
        var jobs = new (int Channels, SimdSpectrumKernel Kernel, float[] Input, float[] Output, int Frames)[channelCounts.Length];
        for (int j = 0; j < jobs.Length; j++)
        {
            int channels = channelCounts[j];
            int frames = (int)(channelSamples / channels / hop);
            SimdSpectrumKernel kernel = engine.CreateSimdSpectrum(new SpectrumShape(nfft, 0, bins, channels));
            frames = Math.Max(kernel.FramesPerBatch, frames / kernel.FramesPerBatch * kernel.FramesPerBatch);
            var input = new float[((long)(frames - 1) * hop + nfft) * channels];
            var random = new Random(channels);
            for (int i = 0; i < input.Length; i++) input[i] = (float)(random.NextDouble() * 2 - 1);
            jobs[j] = (channels, kernel, input, new float[kernel.FramesPerBatch * channels * bins], frames);
        }
        using Process self = Process.GetCurrentProcess();
        var best = new double[jobs.Length];
        Array.Fill(best, double.MaxValue);
        for (int round = 0; round <= rounds; round++) // round 0 warms up
        {
            for (int j = 0; j < jobs.Length; j++)
            {
                var (channels, kernel, input, output, frames) = jobs[j];
                int batch = kernel.FramesPerBatch, line = channels * bins;
                self.Refresh();
                TimeSpan cpu = self.TotalProcessorTime;
                for (int f = 0; f < frames; f += batch)
                {
                    ReadOnlySpan<float> samples = input.AsSpan(f * hop * channels, ((batch - 1) * hop + nfft) * channels);
                    if (batch == 1) kernel.Compute(samples, output);
                    else kernel.ComputeFrames(samples, hop, batch, output.AsSpan(0, batch * line));
                }
                self.Refresh();
                if (round > 0) best[j] = Math.Min(best[j], (self.TotalProcessorTime - cpu).TotalSeconds);
            }
        }
        var inv = CultureInfo.InvariantCulture;
        double wide = (double)jobs[^1].Frames * hop * jobs[^1].Channels / best[^1];
        Console.WriteLine(string.Create(inv, $"nfft {nfft}, hop {hop}, width {width}, best of {rounds} interleaved rounds, process CPU time, 1 thread"));
        Console.WriteLine("| channels | lanes hold | frames per call | M channel-samples/s | / 256 channels |");
        Console.WriteLine("|--:|---|--:|--:|--:|");
        for (int j = 0; j < jobs.Length; j++)
        {
            var (channels, kernel, _, _, frames) = jobs[j];
            double rate = (double)frames * hop * channels / best[j];
            string lanes = kernel.FramesPerBatch > 1 ? "frames × channels" : "channels";
            Console.WriteLine(string.Create(inv, $"| {channels} | {lanes} | {kernel.FramesPerBatch} | {rate / 1e6:F1} | {rate / wide:F2} |"));
        }
    }
}
