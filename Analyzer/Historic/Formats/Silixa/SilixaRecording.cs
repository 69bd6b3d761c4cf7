using System.Globalization;
using PureHDF;
using PureHDF.VOL.Native;

namespace Focus.Analyzer.Historic.Formats.Silixa;

/// <summary>
/// An open Silixa iDAS native HDF5 recording (the facts as DASCore's public reader documents them): one root dataset
/// <c>/Acoustic</c> [time][channel] (int16 or float32) whose attributes, all strings, say the rest:
/// <c>SamplingFrequency[Hz]</c> (the rate), <c>GPSTimeStamp</c> (<c>dd/MM/yyyy HH:mm:ss.fff (UTC)</c>, the first
/// sample; else <c>ISO8601 Timestamp</c>, else <c>CPUTimeStamp</c>), <c>SpatialResolution[m]</c> ×
/// <c>Fibre Length Multiplier</c> (the channel spacing). There is no time axis: row r is at start + r / rate.
/// </summary>
public sealed class SilixaRecording : IRecording
{
    private const string AcousticPath = "/Acoustic";

    private readonly NativeFile _file;
    private readonly NativeDataset _data;
    private readonly long _startMicros;
    private short[] _int16 = [];

    private SilixaRecording(NativeFile file, NativeDataset data, RecordingHeader header, long startMicros)
    {
        _file = file;
        _data = data;
        Header = header;
        _startMicros = startMicros;
    }

    public RecordingHeader Header { get; }

    /// <summary>Whether <paramref name="file"/> holds Silixa's <c>/Acoustic</c> dataset.</summary>
    internal static bool Matches(NativeFile file) => file.LinkExists(AcousticPath) && file.Get(AcousticPath) is NativeDataset;

    /// <summary>Reads the header of <paramref name="file"/> (which it keeps on success; the caller disposes it on a throw).</summary>
    internal static SilixaRecording Open(NativeFile file, string path)
    {
        var data = (NativeDataset)file.Get(AcousticPath);
        var sampleType = (data.Type.Class, data.Type.Size) switch
        {
            (H5DataTypeClass.FixedPoint, 2) when data.Type.FixedPoint.IsSigned => RawSampleType.Int16,
            (H5DataTypeClass.FloatingPoint, 4) => RawSampleType.Float32,
            _ => throw new RecordingFormatException(path, RecordingProblem.UnsupportedFormat, $"Acoustic is {data.Type.Class} of {data.Type.Size} bytes; int16 or float32 expected"),
        };
        if (data.Space.Dimensions is not [var rows, var channels])
            throw new RecordingFormatException(path, RecordingProblem.UnsupportedFormat, $"Acoustic has rank {data.Space.Dimensions.Length}; [time][channel] expected");
        if (channels is 0 or > RecordingLimits.MaxLoci || rows is 0 or > RecordingLimits.MaxSamples)
            throw new RecordingFormatException(path, RecordingProblem.Invalid, $"Acoustic is {rows} x {channels}; up to {RecordingLimits.MaxSamples} x {RecordingLimits.MaxLoci}");
        RecordingLimits.CheckChunks(data, "Acoustic");

        var prr = ProdmlAttributes.Number(data, "SamplingFrequency[Hz]")
            ?? throw new RecordingFormatException(path, RecordingProblem.Invalid, "no SamplingFrequency[Hz] attribute on /Acoustic");
        RecordingLimits.CheckPrr(prr, "SamplingFrequency[Hz]");
        var start = Time(data, "GPSTimeStamp") ?? Time(data, "ISO8601 Timestamp") ?? Time(data, "CPUTimeStamp")
            ?? throw new RecordingFormatException(path, RecordingProblem.Invalid, "no GPSTimeStamp, ISO8601 Timestamp or CPUTimeStamp attribute on /Acoustic that is a time");
        RecordingLimits.CheckEnd(start, rows, prr);
        var resolution = ProdmlAttributes.Number(data, "SpatialResolution[m]") ?? 1;
        var multiplier = ProdmlAttributes.Number(data, "Fibre Length Multiplier") ?? 1;
        var dx = resolution * multiplier;
        if (!double.IsFinite(dx) || dx <= 0 || dx > 1e6)
            throw new RecordingFormatException(path, RecordingProblem.Invalid, $"SpatialResolution[m] x Fibre Length Multiplier = {dx} is not a distance between channels");
        var header = new RecordingHeader
        {
            Path = path,
            Format = "Silixa",
            SchemaVersion = ProdmlAttributes.Text(data, "iDASVersion") is { } v ? $"iDAS {v}" : "iDAS",
            Vendor = "Silixa",
            Start = start,
            Prr = prr,
            Channels = (int)channels,
            SampleCount = (long)rows,
            Dx = dx,
            StartLocusIndex = 0,
            SampleType = sampleType,
        };
        return new SilixaRecording(file, data, header, (start.UtcTicks - DateTimeOffset.UnixEpoch.UtcTicks) / 10);
    }

    public void Read(long firstRow, int rows, int firstChannel, int channels, Span<float> destination) =>
        RecordingReads.Hyperslab(_data, Header, firstRow, rows, firstChannel, channels, destination, ref _int16);

    /// <summary>No time axis in the file: start + row / rate.</summary>
    public void ReadTimes(long firstRow, Span<long> destination)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(firstRow);
        if (firstRow + destination.Length > Header.SampleCount)
            throw new ArgumentOutOfRangeException(nameof(destination), $"rows {firstRow}..{firstRow + destination.Length - 1} run past the recording's {Header.SampleCount}");
        RecordingReads.NominalTimes(_startMicros, Header.Prr, firstRow, destination);
    }

    public void Dispose() => _file.Dispose();

    /// <summary>A Silixa time attribute: <c>dd/MM/yyyy HH:mm:ss.fff (UTC)</c> (day first) or ISO 8601.</summary>
    private static DateTimeOffset? Time(IH5Object owner, string name)
    {
        if (ProdmlAttributes.Text(owner, name) is not { Length: > 0 } text) return null;
        var utc = text.Replace("(UTC)", "", StringComparison.OrdinalIgnoreCase).Trim();
        string[] dayFirst = ["dd/MM/yyyy HH:mm:ss.FFFFFFF", "d/M/yyyy H:mm:ss.FFFFFFF"];
        if (DateTime.TryParseExact(utc, dayFirst, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal, out var time))
            return new DateTimeOffset(time, TimeSpan.Zero);
        return DateTimeOffset.TryParseExact(text, "yyyy-MM-dd'T'HH:mm:ss.FFFFFFFzzz", CultureInfo.InvariantCulture, DateTimeStyles.AdjustToUniversal, out var iso)
            ? iso.ToUniversalTime()
            : null;
    }
}
