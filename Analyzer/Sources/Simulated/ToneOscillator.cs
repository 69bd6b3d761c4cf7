namespace Focus.Analyzer.Sources.Simulated;

/// <summary>Adds one <see cref="SimulatedTone"/> to a time-major window; each channel has its own fixed phase.</summary>
internal sealed class ToneOscillator(SimulatedTone tone, double prr, ulong phaseKey)
{
    readonly ulong step = SineTable.Step(tone.FrequencyHz, prr);
    readonly float amplitude = (float)tone.Amplitude;

    public SimulatedTone Tone => tone;

    public void AddTo(int firstChannel, int channelCount, long firstSampleIndex, int sampleCount, Span<float> destination)
    {
        int lo = Math.Max(firstChannel, tone.FirstChannel);
        int hi = Math.Min(firstChannel + channelCount - 1, tone.LastChannel);
        for (int channel = lo; channel <= hi; channel++)
        {
            // Wrapping multiply-add: the exact phase of the first sample; then one add per sample.
            ulong phase = (ulong)firstSampleIndex * step + CounterHash.Mix(phaseKey + (ulong)channel);
            for (int s = 0, i = channel - firstChannel; s < sampleCount; s++, i += channelCount, phase += step)
                destination[i] += amplitude * SineTable.Sin(phase);
        }
    }
}
