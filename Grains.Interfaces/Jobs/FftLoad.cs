namespace Focus.Grains.Jobs;

/// <summary>
/// Channel-samples per second a job puts through the FFT in real time: channels × nfft × lines/s (prr / hop);
/// WATERFALL reads each sample once (channels × prr). Admission judges a job by it before it starts, and the analyzer's
/// compute gate tells heavy pipelines by it: one formula for both.
/// </summary>
public static class FftLoad
{
    public static double SamplesPerSecond(bool waterfall, int channels, int nfft, double prr, int hop) =>
        waterfall ? (double)channels * prr : (double)channels * nfft * prr / hop;
}
