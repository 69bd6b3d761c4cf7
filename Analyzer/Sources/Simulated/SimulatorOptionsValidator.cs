using Microsoft.Extensions.Options;

namespace Focus.Analyzer.Sources.Simulated;

/// <summary>Checks <see cref="SimulatorOptions"/>, gathering every failure under the key an operator types.</summary>
public sealed class SimulatorOptionsValidator : IValidateOptions<SimulatorOptions>
{
    const string S = SimulatorOptions.Section;

    public ValidateOptionsResult Validate(string? name, SimulatorOptions o)
    {
        var errors = new List<string>();
        if (o.Channels < 1) errors.Add($"{S}:Channels is {o.Channels}; use 1 or more.");
        if (!(o.Prr > 0) || !double.IsFinite(o.Prr)) errors.Add($"{S}:Prr is {o.Prr}; use a positive rate.");
        if (!(o.Dx > 0) || !double.IsFinite(o.Dx)) errors.Add($"{S}:Dx is {o.Dx}; use a positive distance in metres.");
        if (!double.IsFinite(o.FiberStartMeters)) errors.Add($"{S}:FiberStartMeters is {o.FiberStartMeters}; use a finite number of metres.");
        if (!(o.NoiseLevel >= 0) || !double.IsFinite(o.NoiseLevel)) errors.Add($"{S}:NoiseLevel is {o.NoiseLevel}; use 0 or a positive standard deviation.");
        if (o.BlockSize < 1) errors.Add($"{S}:BlockSize is {o.BlockSize}; use 1 or more channels.");
        if (string.IsNullOrWhiteSpace(o.InterrogatorId)) errors.Add($"{S}:InterrogatorId is empty; name the interrogator.");
        if (o.ChunkDuration <= TimeSpan.Zero) errors.Add($"{S}:ChunkDuration is {o.ChunkDuration}; use a positive time.");
        else if (o.ChunkDuration > TimeSpan.FromSeconds(10)) errors.Add($"{S}:ChunkDuration is {o.ChunkDuration}; use 10 s or less.");
        if (o.History < TimeSpan.Zero) errors.Add($"{S}:History is {o.History}; use zero or a positive time.");
        else if (o.History > TimeSpan.FromHours(1)) errors.Add($"{S}:History is {o.History}; use one hour or less.");

        for (int i = 0; i < o.Tones.Count; i++)
        {
            var t = o.Tones[i];
            var key = $"{S}:Tones:{i}";
            if (t.FirstChannel < 1) errors.Add($"{key}:FirstChannel is {t.FirstChannel}; use a 1-based channel.");
            if (t.LastChannel < t.FirstChannel) errors.Add($"{key}:LastChannel is {t.LastChannel}; use {t.FirstChannel} (FirstChannel) or more.");
            if (!(t.FrequencyHz > 0) || !double.IsFinite(t.FrequencyHz)) errors.Add($"{key}:FrequencyHz is {t.FrequencyHz}; use a positive frequency.");
            if (!(t.Amplitude >= 0) || !double.IsFinite(t.Amplitude)) errors.Add($"{key}:Amplitude is {t.Amplitude}; use 0 or a positive amplitude.");
        }

        var m = o.MovingSource;
        const string MS = S + ":MovingSource";
        if (m.Enabled)
        {
            if (!(m.StartChannel >= 1 && m.StartChannel <= Math.Max(1, o.Channels))) errors.Add($"{MS}:StartChannel is {m.StartChannel}; use a channel between 1 and {o.Channels}.");
            if (!double.IsFinite(m.SpeedMetersPerSecond)) errors.Add($"{MS}:SpeedMetersPerSecond is {m.SpeedMetersPerSecond}; use a finite speed.");
            if (!(m.HalfWidthMeters > 0) || !double.IsFinite(m.HalfWidthMeters)) errors.Add($"{MS}:HalfWidthMeters is {m.HalfWidthMeters}; use a positive distance in metres.");
            if (!(m.Amplitude >= 0) || !double.IsFinite(m.Amplitude)) errors.Add($"{MS}:Amplitude is {m.Amplitude}; use 0 or a positive amplitude.");
            if (!(m.EngineHz > 0) || !double.IsFinite(m.EngineHz)) errors.Add($"{MS}:EngineHz is {m.EngineHz}; use a positive frequency.");
        }
        return errors.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(errors);
    }
}
