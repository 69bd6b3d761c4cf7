using PureHDF;

namespace Focus.Analyzer.Historic;

/// <summary>
/// What a recording file may claim before it is believed (issue 13, hostile data): nothing read from a file is
/// trusted. Times must fit <see cref="DateTimeOffset"/> from the first sample to the end, rates and distances must be
/// finite and positive, dimensions within what an interrogator writes, and no chunk or attribute so large that reading
/// one value would allocate a fortune. A file past a limit is an invalid recording with the reason.
/// </summary>
internal static class RecordingLimits
{
    /// <summary>Loci (channels) per recording; interrogators write a few thousand to tens of thousands.</summary>
    public const ulong MaxLoci = 1 << 20;

    /// <summary>Samples (rows) per recording: 2^40 is 35 years at 1 kHz.</summary>
    public const ulong MaxSamples = 1UL << 40;

    /// <summary>Samples per second per channel.</summary>
    public const double MaxPrr = 10_000_000;

    /// <summary>Bytes one chunk of <c>RawData</c> or <c>RawDataTime</c> may hold: reading any value inflates its whole chunk.</summary>
    public const ulong MaxChunkBytes = 64 * 1024 * 1024;

    /// <summary>Values an attribute may hold (PRODML's are scalars or short arrays).</summary>
    public const ulong MaxAttributeValues = 64;

    /// <summary>Bytes one attribute value may hold (a fixed-length string).</summary>
    public const ulong MaxAttributeValueBytes = 64 * 1024;

    private static readonly long MinMicros = (DateTimeOffset.MinValue.UtcTicks - DateTimeOffset.UnixEpoch.UtcTicks) / 10;
    private static readonly long MaxMicros = (DateTimeOffset.MaxValue.UtcTicks - DateTimeOffset.UnixEpoch.UtcTicks) / 10;

    /// <summary>The instant of <paramref name="micros"/> µs after the epoch, or why it is none.</summary>
    public static DateTimeOffset Time(long micros, string what) =>
        micros >= MinMicros && micros <= MaxMicros
            ? DateTimeOffset.UnixEpoch.AddTicks(micros * 10)
            : throw new InvalidDataException($"{what} {micros} µs is outside the years 1..9999 a DateTime holds");

    /// <summary>Checks that <c>start + samples / prr</c> (the recording's end) is a time too.</summary>
    public static void CheckEnd(DateTimeOffset start, ulong samples, double prr)
    {
        var seconds = samples / prr;
        if (!double.IsFinite(seconds) || seconds >= (DateTimeOffset.MaxValue - start).TotalSeconds - 1)
            throw new InvalidDataException($"{samples} samples at {prr} Hz from {start:O} end after the year 9999 a DateTime holds");
    }

    public static void CheckPrr(double prr, string what)
    {
        if (!double.IsFinite(prr) || prr <= 0 || prr > MaxPrr)
            throw new InvalidDataException($"{what} {prr} Hz is not a rate between 0 and {MaxPrr} Hz");
    }

    /// <summary>Checks the chunk size of a chunked dataset (contiguous and compact ones are read by the slice).</summary>
    public static void CheckChunks(IH5Dataset dataset, string name)
    {
        if (dataset.Layout.Class != H5DataLayoutClass.Chunked) return;
        var bytes = (ulong)dataset.Type.Size;
        foreach (var extent in dataset.Layout.Chunks)
        {
            bytes = extent == 0 || bytes <= MaxChunkBytes / extent ? bytes * extent : ulong.MaxValue;
            if (bytes > MaxChunkBytes)
                throw new InvalidDataException($"{name} is stored in chunks of [{string.Join(", ", dataset.Layout.Chunks)}] values, over {MaxChunkBytes / (1024 * 1024)} MiB a chunk");
        }
    }

    /// <summary>Checks an attribute's size before any of it is read.</summary>
    public static void CheckAttribute(IH5Attribute attribute, string name)
    {
        var values = 1UL;
        foreach (var extent in attribute.Space.Dimensions)
            values = extent == 0 || values <= MaxAttributeValues / extent ? values * extent : ulong.MaxValue;
        if (values > MaxAttributeValues)
            throw new InvalidDataException($"attribute {name} holds [{string.Join(", ", attribute.Space.Dimensions)}] values, more than {MaxAttributeValues}");
        if ((ulong)attribute.Type.Size > MaxAttributeValueBytes)
            throw new InvalidDataException($"attribute {name} holds values of {attribute.Type.Size} bytes, more than {MaxAttributeValueBytes}");
    }
}
