using Focus.Grains.Fiber;
using static Focus.Grains.Jobs.ConfigureRules;
using static Focus.Grains.Jobs.JsonScalars;

namespace Focus.Grains.Jobs;

/// <summary>
/// Re-validates a <see cref="ConfigureRequest"/> (the grain's side of the rules the gateway's parser
/// applied) and, given a fiber, the checks that need it: channels within 1..NumberOfChannels,
/// frequencies at most Nyquist = prr / 2 (a defaulted max is Nyquist), and at least one kept bin.
/// For historic jobs the caller passes a <see cref="FiberMetadata"/> made from the recordings in the
/// window (their smallest channel count, their prr). Messages and keys match the parser's.
/// </summary>
public static class ConfigureRequestValidator
{
    /// <summary>The rules that need no fiber, on the typed request.</summary>
    public static FieldErrors Validate(ConfigureRequest request)
    {
        ArgumentNullException.ThrowIfNull(request);
        var errors = new FieldErrors();
        var values = ConfigureValues.From(request);
        var view = values.View;
        if (view is null) errors.AddInvalid(ViewTypeField, Show((long)request.ViewType), ViewTypeRule);
        CheckHeight(request.Height, Show(request.Height), errors);
        CheckChannel(ChannelMinField, request.ChannelMin, Show(request.ChannelMin), errors);
        CheckChannel(ChannelMaxField, request.ChannelMax, Show(request.ChannelMax), errors);
        if (request.NfftSelection is { } nfft) CheckNfft(nfft, Show(nfft), view, errors);

        if (request.DisplayTimeAxisDuration is { } duration)
        {
            if (view == ViewType.Waterfall) errors.AddInvalid(DurationField, Show(duration), AbsentForWaterfallRule);
            else CheckDuration(duration, Show(duration), errors);
        }

        if (view == ViewType.Waterfall)
        {
            if (request.FrequencyMin is not null || request.FrequencyMax is not null)
                errors.AddInvalid(FrequencyRangeField, ShowRange(request.FrequencyMin, request.FrequencyMax), AbsentForWaterfallRule);
        }
        else
        {
            if (request.FrequencyMin is { } min) CheckFrequency(FrequencyMinField, min, Show(min), errors);
            if (request.FrequencyMax is { } max) CheckFrequency(FrequencyMaxField, max, Show(max), errors);
        }

        CheckRelations(values, errors);
        return errors;
    }

    /// <summary>Every rule: <see cref="Validate(ConfigureRequest)"/> plus the fiber's. The fiber must be known.</summary>
    public static FieldErrors Validate(ConfigureRequest request, FiberMetadata fiber)
    {
        ArgumentNullException.ThrowIfNull(fiber);
        if (!fiber.IsKnown) throw new ArgumentException("The fiber is not known yet (waiting for fiber).", nameof(fiber));
        var errors = Validate(request);

        var highest = fiber.NumberOfChannels;
        var fiberRule = $"a channel between {ConfigureLimits.LowestChannel} and {highest} (highest_channel of the fiber)";
        if (!errors.Contains(ChannelMinField) && request.ChannelMin > highest)
            errors.AddInvalid(ChannelMinField, Show(request.ChannelMin), fiberRule);
        if (!errors.Contains(ChannelMaxField) && request.ChannelMax > highest)
            errors.AddInvalid(ChannelMaxField, Show(request.ChannelMax), fiberRule);

        if (IsSpectral(request.ViewType) && !HasFrequencyError(errors))
            CheckAgainstNyquist(request, fiber, errors);
        return errors;
    }

    private static void CheckAgainstNyquist(ConfigureRequest request, FiberMetadata fiber, FieldErrors errors)
    {
        var nyquist = fiber.Nyquist;
        var nyquistRule = $"at most the Nyquist frequency {Show(nyquist)} Hz (prr {Show(fiber.Prr)} / 2)";
        if (request.FrequencyMin is { } min && min > nyquist) errors.AddInvalid(FrequencyMinField, Show(min), nyquistRule);
        if (request.FrequencyMax is { } max && max > nyquist) errors.AddInvalid(FrequencyMaxField, Show(max), nyquistRule);
        if (HasFrequencyError(errors)) return;
        if (request.FrequencyMax is null) CheckFrequencySpan(request.FrequencyMin, nyquist, maxIsDefault: true, errors);
        if (HasFrequencyError(errors) || errors.Contains(HeightField) || errors.Contains(NfftField) || errors.Contains(DurationField))
            return;

        var parameters = JobParametersDerivation.Derive(request, fiber, JobParametersDerivation.DefaultWaterfallLinesPerSecond);
        if (parameters.FrequenciesAmount > 0) return;
        var spacing = fiber.Prr / parameters.InternalNfft;
        errors.AddInvalid(FrequencyRangeField, ShowRange(request.FrequencyMin ?? 0, request.FrequencyMax ?? nyquist),
            $"wide enough to hold a frequency bin: bins are k * prr / internal_nfft = k * {Show(spacing)} Hz apart (internal_nfft {parameters.InternalNfft})");
    }

    private static string ShowRange(double? min, double? max) =>
        $"[{(min is { } a ? Show(a) : "null")}, {(max is { } b ? Show(b) : "null")}]";
}
