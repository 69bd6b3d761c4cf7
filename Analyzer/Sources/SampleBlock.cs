namespace Focus.Analyzer.Sources;

/// <summary>
/// Consecutive samples of consecutive channels, time-major <c>[SampleCount][ChannelCount]</c>
/// (the DataChunk layout of CONTRACT §3). <see cref="FirstSampleIndex"/> counts samples since the
/// Unix epoch at the fiber's prr (<c>round(t * prr)</c>), so blocks from any source line up.
/// </summary>
public sealed record SampleBlock(
    long FirstSampleIndex,
    int FirstChannel,
    int ChannelCount,
    int SampleCount,
    float[] Samples)
{
    public ReadOnlySpan<float> Span => Samples.AsSpan(0, SampleCount * ChannelCount);
}
