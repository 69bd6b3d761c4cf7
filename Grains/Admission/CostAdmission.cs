using System.Globalization;
using Focus.Grains.Analyzers;
using Focus.Grains.Jobs;

namespace Focus.Grains.Admission;

/// <summary>
/// Judges one job's <see cref="JobCost"/> against the per-job limits of <see cref="AdmissionOptions"/>: null when
/// admitted, else the 422 naming each limit broken, its figure and the request fields that drive it. Pure.
/// </summary>
public static class CostAdmission
{
    public const string TooExpensive = "the job is too expensive to compute in real time";

    public static JobProblem? Judge(JobParameters p, AdmissionOptions limits)
    {
        var cost = JobCost.Of(p);
        var waterfall = p.ViewType == ViewType.Waterfall;
        var broken = new List<(string Sentence, string[] Fields)>();

        if (Over(cost.LinesPerSecond, limits.MaxLinesPerSecond))
            broken.Add(waterfall
                ? ($"{Show(cost.LinesPerSecond)} lines/s (Focus:Waterfall:LinesPerSecond) is above {Key(nameof(limits.MaxLinesPerSecond))} = {Show(limits.MaxLinesPerSecond)}",
                    [ConfigureRules.ViewTypeField])
                : ($"{Show(cost.LinesPerSecond)} lines/s per stream (prr {Show(p.Prr)} Hz / hop {p.Hop} samples, from displayTimeAxisDuration / displayInfo.height) is above {Key(nameof(limits.MaxLinesPerSecond))} = {Show(limits.MaxLinesPerSecond)}",
                    [ConfigureRules.DurationField, ConfigureRules.HeightField]));

        if (Over(cost.FftSamplesPerSecond, limits.MaxFftSamplesPerSecond))
            broken.Add(waterfall
                ? ($"{p.ChannelAmount} channels × prr {Show(p.Prr)} Hz = {Show(cost.FftSamplesPerSecond)} channel-samples/s is above {Key(nameof(limits.MaxFftSamplesPerSecond))} = {Show(limits.MaxFftSamplesPerSecond)}",
                    [ConfigureRules.ChannelsField])
                : ($"{p.ChannelAmount} channels × internal_nfft {p.InternalNfft} × {Show(cost.LinesPerSecond)} lines/s = {Show(cost.FftSamplesPerSecond)} channel-samples/s through the FFT is above {Key(nameof(limits.MaxFftSamplesPerSecond))} = {Show(limits.MaxFftSamplesPerSecond)}",
                    [ConfigureRules.ChannelsField, ConfigureRules.NfftField, ConfigureRules.DurationField]));

        if (Over(cost.OutputBytesPerSecond, limits.MaxOutputBytesPerSecond))
            broken.Add(($"{Show(cost.OutputBytesPerSecond)} bytes/s of output ({(waterfall ? $"{p.ChannelAmount} channels" : $"{p.StreamAmount} streams × {p.FrequenciesAmount} frequencies")} × 4 bytes × {Show(cost.LinesPerSecond)} lines/s) is above {Key(nameof(limits.MaxOutputBytesPerSecond))} = {Show(limits.MaxOutputBytesPerSecond)}",
                waterfall ? [ConfigureRules.ChannelsField] : [ConfigureRules.ChannelsField, ConfigureRules.FrequencyRangeField, ConfigureRules.DurationField]));

        if (Over(cost.MemoryBytes, limits.MaxMemoryBytes))
            broken.Add(($"an estimated {Show(cost.MemoryBytes)} bytes of memory ({p.ChannelAmount} channels × (internal_nfft {p.InternalNfft} + 2 × hop {p.Hop}) input samples and the streams' reader buffers) is above {Key(nameof(limits.MaxMemoryBytes))} = {Show(limits.MaxMemoryBytes)}",
                [ConfigureRules.ChannelsField, ConfigureRules.NfftField]));

        if (broken.Count == 0) return null;
        var errors = new Dictionary<string, string[]>(StringComparer.Ordinal);
        foreach (var (sentence, fields) in broken)
            foreach (var field in fields)
                errors[field] = [.. errors.GetValueOrDefault(field, []), $"{field}: {TooExpensive}: {sentence}"];
        return new JobProblem
        {
            Kind = JobProblemKind.Invalid,
            Detail = $"{TooExpensive}: {string.Join("; ", broken.Select(b => $"{b.Sentence} (fields: {string.Join(", ", b.Fields)})"))}",
            Errors = errors,
        };
    }

    /// <summary>
    /// A live request judged before its job exists, so the registry can refuse it (422) or place it by its cost:
    /// channel-samples/s through the FFT, and the refusal if it is too expensive. Cost 0 when it cannot be derived
    /// yet (unknown fiber, an invalid request the job will refuse, a historic window whose recordings only the job
    /// reads: its cost is counted once it runs).
    /// </summary>
    public static (double FftSamplesPerSecond, JobProblem? Refusal) Assess(
        ConfigureRequest request, Fiber.FiberMetadata fiber, double waterfallLinesPerSecond, AdmissionOptions limits)
    {
        if (request.IsHistoric || !fiber.IsKnown || !ConfigureRequestValidator.Validate(request, fiber).IsEmpty) return (0, null);
        var parameters = JobParametersDerivation.Derive(request, fiber, waterfallLinesPerSecond);
        return (JobCost.Of(parameters).FftSamplesPerSecond, Judge(parameters, limits));
    }

    private static bool Over(double value, double limit) => limit > 0 && value > limit;

    private static string Key(string name) => $"{AdmissionOptions.Section}:{name}";

    private static string Show(double value) => value.ToString("G4", CultureInfo.InvariantCulture);
}
