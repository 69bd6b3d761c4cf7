using Focus.Grains.Time;
using static Focus.Grains.Jobs.JsonScalars;

namespace Focus.Grains.Jobs;

/// <summary>
/// The /configure rules that need no fiber (CONTRACT §1 table), stated once for the JSON parser and
/// the record validator. Field names are the JSON body's, dotted when nested; each check adds
/// <c>field: value is invalid, must be rule</c>. Each JSON name is written here once: the parser, the validator and
/// the gateway's wire document (<c>ConfigureRequestDocument</c>) all use these.
/// </summary>
internal static class ConfigureRules
{
    public const string BodyField = "body";
    public const string ViewTypeField = "view_type";
    public const string DisplayInfoField = "displayInfo";
    public const string HeightName = "height";
    public const string HeightField = $"{DisplayInfoField}.{HeightName}";
    public const string ChannelsField = "channels";
    public const string MinName = "min";
    public const string MaxName = "max";
    public const string ChannelMinField = $"{ChannelsField}.{MinName}";
    public const string ChannelMaxField = $"{ChannelsField}.{MaxName}";
    public const string NfftField = "nfftSelection";
    public const string DurationField = "displayTimeAxisDuration";
    public const string FrequencyRangeField = "frequencyRange";
    public const string FrequencyMinField = $"{FrequencyRangeField}.{MinName}";
    public const string FrequencyMaxField = $"{FrequencyRangeField}.{MaxName}";

    public const string BodyRule = "a JSON object";
    public const string ViewTypeRule = "0 (MULTICHANNEL), 1 (SINGLECHANNEL) or 2 (WATERFALL): the integer, its string or its name";
    public const string DisplayInfoRule = "an object with height, an integer between 1 and 10000";
    public const string HeightRule = "an integer between 1 and 10000";
    public const string ChannelsRule = "an object with min and max, integer channel numbers of at least 1";
    public const string ChannelRule = "an integer channel number of at least 1 (channels are 1-based)";
    public const string NfftRule = "a power of 2 between 128 and 65536 (maximum)";
    public const string WaterfallNfftRule = "absent or 1 for WATERFALL (view_type 2)";
    public const string DurationRule = "a number of seconds greater than 0 and at most 3600";
    public const string AbsentForWaterfallRule = "absent for WATERFALL (view_type 2)";
    public const string FrequencyRangeRule = "an object with min and/or max in Hz";
    public const string FrequencyRule = "a number of Hz of at least 0";

    public static bool IsSpectral(ViewType? view) => view is ViewType.Multichannel or ViewType.Singlechannel;

    public static void CheckHeight(long value, string shown, FieldErrors errors)
    {
        if (value is < ConfigureLimits.MinHeight or > ConfigureLimits.MaxHeight)
            errors.AddInvalid(HeightField, shown, HeightRule);
    }

    public static void CheckChannel(string field, long value, string shown, FieldErrors errors)
    {
        if (value is < ConfigureLimits.LowestChannel or > int.MaxValue)
            errors.AddInvalid(field, shown, ChannelRule);
    }

    /// <summary>Under an unknown view (already reported) only a value no view accepts is an error.</summary>
    public static void CheckNfft(long value, string shown, ViewType? view, FieldErrors errors)
    {
        var valid = view switch
        {
            ViewType.Waterfall => value == ConfigureLimits.WaterfallNfft,
            ViewType.Multichannel or ViewType.Singlechannel => IsValidNfft(value),
            _ => IsValidNfft(value) || value == ConfigureLimits.WaterfallNfft,
        };
        if (!valid) errors.AddInvalid(NfftField, shown, view == ViewType.Waterfall ? WaterfallNfftRule : NfftRule);
    }

    public static bool IsValidNfft(long value) =>
        value is >= ConfigureLimits.MinNfft and <= ConfigureLimits.MaxNfft && (value & (value - 1)) == 0;

    public static void CheckDuration(double value, string shown, FieldErrors errors)
    {
        if (!(value > 0 && value <= ConfigureLimits.MaxDisplayTimeAxisDuration))
            errors.AddInvalid(DurationField, shown, DurationRule);
    }

    public static void CheckFrequency(string field, double value, string shown, FieldErrors errors)
    {
        if (!double.IsFinite(value) || value < 0) errors.AddInvalid(field, shown, FrequencyRule);
    }

    /// <summary>Rules between fields; a field already reported is not judged again.</summary>
    public static void CheckRelations(in ConfigureValues values, FieldErrors errors)
    {
        if (values is { ChannelMin: { } min, ChannelMax: { } max } &&
            !errors.Contains(ChannelMinField) && !errors.Contains(ChannelMaxField))
        {
            if (min > max)
                errors.Add(ChannelsField, $"{ChannelsField}: min {min} and max {max} are invalid, must be min <= max");
            else if (values.View == ViewType.Singlechannel && min != max)
                errors.Add(ChannelsField, $"{ChannelsField}: min {min} and max {max} are invalid, must be equal for SINGLECHANNEL (view_type 1)");
        }

        if (values.View != ViewType.Waterfall && values.FrequencyMax is { } fmax && !HasFrequencyError(errors))
            CheckFrequencySpan(values.FrequencyMin, fmax, maxIsDefault: false, errors);

        TimeWindow.CheckPair(values.Start, values.End, errors);
    }

    public static bool HasFrequencyError(FieldErrors errors) =>
        errors.Contains(FrequencyRangeField) || errors.Contains(FrequencyMinField) || errors.Contains(FrequencyMaxField);

    /// <summary>max - min >= 1 Hz, with a missing min read as 0 and a defaulted max named so.</summary>
    public static void CheckFrequencySpan(double? min, double max, bool maxIsDefault, FieldErrors errors)
    {
        var effectiveMin = min ?? 0;
        if (max - effectiveMin >= ConfigureLimits.MinFrequencySpan) return;
        var shownMin = Show(effectiveMin) + (min is null ? " (default)" : "");
        var shownMax = Show(max) + (maxIsDefault ? " (default, Nyquist)" : "");
        errors.Add(FrequencyRangeField,
            $"{FrequencyRangeField}: min {shownMin} and max {shownMax} are invalid, must be max - min >= {Show(ConfigureLimits.MinFrequencySpan)} Hz");
    }
}
