using Focus.Analyzer.Sources.Simulated;

/// <summary>The <c>info</c> command: the fiber, its tones and its vehicle, with the levels a spectrogram shows.</summary>
static class FiberReport
{
    const int Nfft = 1024;

    public static void Print(SimulatedLiveSource source, SimulatorOptions options)
    {
        var fiber = source.Fiber;
        var m = source.Metadata;
        Console.WriteLine("Fiber");
        Row("interrogator", $"{m.InterrogatorId} ({m.SwVersion})");
        Row("description", m.FiberDescription);
        Row("channels", $"1..{fiber.Channels}, dx {fiber.Dx} m, from {fiber.FiberStartMeters} m, {fiber.FiberLengthMeters:F0} m long");
        Row("prr", $"{fiber.Prr} Hz (Nyquist {fiber.Nyquist} Hz)");
        Row("live blocks", $"{source.ChunkSamples} samples, replay up to {source.HistorySamples} samples back, routing block {m.BlockSize} channels");
        Row("noise", $"Gaussian, std {fiber.NoiseLevel} (seed {fiber.Seed}): {Db(fiber.NoiseLevel * fiber.NoiseLevel)} dB in every spectrogram bin and waterfall line");
        Console.WriteLine();

        Console.WriteLine($"Tones (spectrogram peak at nfft {Nfft}; waterfall line power)");
        Console.WriteLine($"  {"channels",-12} {"metres",-17} {"Hz",8} {"amplitude",10} {"peak dB",8} {"line dB",8}");
        foreach (var requested in options.RequestedTones())
        {
            var tone = requested.FitTo(fiber.Channels, fiber.Prr, out var reason);
            if (tone is null)
            {
                Console.WriteLine($"  {Range(requested),-12} {"",-17} {requested.FrequencyHz,8} {"",10} dropped: {reason}");
                continue;
            }
            // Hann window scaled to sum w^2 = 1 (CONTRACT §1): a sine of amplitude A peaks at A^2 * N / 6.
            double peak = tone.Amplitude * tone.Amplitude * Nfft / 6 + Noise(fiber);
            double line = tone.Amplitude * tone.Amplitude / 2 + Noise(fiber);
            Console.WriteLine($"  {Range(tone),-12} {$"{fiber.PositionMeters(tone.FirstChannel):F1}..{fiber.PositionMeters(tone.LastChannel):F1}",-17} {tone.FrequencyHz,8} {tone.Amplitude,10} {Db(peak),8} {Db(line),8}");
        }
        if (options.RequestedTones().Count == 0) Console.WriteLine("  (none)");
        Console.WriteLine();

        Console.WriteLine("Moving source");
        if (fiber.MovingSource is not { } v)
        {
            Console.WriteLine("  (disabled)");
            return;
        }
        long now = source.NewestSampleIndex();
        Row("speed", $"{v.SpeedMetersPerSecond} m/s = {v.ChannelsPerSecond:F2} channels/s, one pass every {v.PassSeconds:F1} s (wraps around)");
        Row("footprint", $"±{v.HalfWidthChannels:F1} channels around its centre, amplitude {v.Amplitude} at the centre");
        Row("signal", $"engine {string.Join(", ", v.EngineHarmonicsHz.Select(f => $"{f} Hz"))} + rumble below {fiber.Prr / 4} Hz");
        Row("now", $"centre at channel {v.CentreChannelAt(now):F1} ({DateTimeOffset.UtcNow:HH:mm:ss} UTC)");
        if (v.ChannelsPerSecond != 0)
        {
            double toChannelOne = ((v.ChannelsPerSecond > 0 ? fiber.Channels + 1 - v.CentreChannelAt(now) : v.CentreChannelAt(now) - 1) % fiber.Channels) / Math.Abs(v.ChannelsPerSecond);
            Row("next", $"at channel 1 in {toChannelOne:F1} s");
        }
    }

    static double Noise(SimulatedFiber fiber) => fiber.NoiseLevel * fiber.NoiseLevel;
    static string Db(double power) => (10 * Math.Log10(power + 1e-12)).ToString("F1");
    static string Range(SimulatedTone t) => t.FirstChannel == t.LastChannel ? $"{t.FirstChannel}" : $"{t.FirstChannel}..{t.LastChannel}";
    static void Row(string name, string value) => Console.WriteLine($"  {name,-13} {value}");
}
