using PureHDF;
using PureHDF.Selections;
using PureHDF.VOL.Native;

namespace Focus.Analyzer.Historic;

/// <summary>
/// An open PRODML DAS recording (CONTRACT §4): <c>/Acquisition/Raw[0]/RawData</c> [time][locus] as int16 or
/// float32, read by time slices and channel ranges (never whole: recordings are GBs) the fastest way its storage
/// allows (<see cref="SampleMatrix"/>: straight from the file when contiguous, chunk by chunk when chunked). The header's start and
/// rate come from <c>RawDataTime</c> (µs), checked against <c>OutputDataRate</c>; whatever else the file claims is
/// checked against <see cref="RecordingLimits"/> before it is used. Not thread-safe: one per reader.
/// </summary>
public sealed class ProdmlRecording : IRecording
{
    private const string AcquisitionPath = "/Acquisition";
    private const string RawPath = "/Acquisition/Raw[0]";
    private const string RawDataPath = "/Acquisition/Raw[0]/RawData";
    private const string RawDataTimePath = "/Acquisition/Raw[0]/RawDataTime";

    private readonly Hdf5ReadFile _file;
    private readonly SampleMatrix _rawData;
    private readonly NativeDataset _rawDataTime;
    private readonly (long First, long Last) _timeRange;

    private ProdmlRecording(Hdf5ReadFile file, SampleMatrix rawData, NativeDataset rawDataTime, (long, long) timeRange, RecordingHeader header)
    {
        _file = file;
        _rawData = rawData;
        _rawDataTime = rawDataTime;
        _timeRange = timeRange;
        Header = header;
    }

    public RecordingHeader Header { get; }

    /// <summary>How <c>RawData</c> is stored and read (<see cref="SampleMatrix.Storage"/>), e.g. "contiguous at byte 48: direct reads".</summary>
    public string Storage => _rawData.Storage;

    /// <summary>The reader of <c>RawData</c> (tests look at how it reads).</summary>
    internal SampleMatrix Samples => _rawData;

    /// <summary>Opens <paramref name="path"/>; throws <see cref="RecordingFormatException"/> when it is no playable recording.</summary>
    public static ProdmlRecording Open(string path)
    {
        Hdf5ReadFile file;
        try
        {
            file = Hdf5ReadFile.Open(path);
        }
        catch (Exception ex) when (ex is not (FileNotFoundException or DirectoryNotFoundException or UnauthorizedAccessException))
        {
            throw new RecordingFormatException(path, RecordingProblem.UnsupportedFormat, $"not an HDF5 file ({ex.Message})", ex);
        }
        try
        {
            var (rawData, rawDataTime, timeRange, header) = ReadHeader(file.Native, path);
            SampleMatrix samples;
            try
            {
                samples = SampleMatrix.Create(file, rawData, header.SampleType, "RawData");
            }
            catch (Exception ex) when (ex is not (InvalidDataException or IOException))
            {
                throw new RecordingFormatException(path, RecordingProblem.UnsupportedFormat, $"RawData cannot be read: {ex.Message}", ex);
            }
            return new ProdmlRecording(file, samples, rawDataTime, timeRange, header);
        }
        catch (Exception ex)
        {
            file.Dispose();
            if (ex is RecordingFormatException) throw;
            throw new RecordingFormatException(path, RecordingProblem.Invalid, ex.Message, ex);
        }
    }

    /// <summary>The header only (the file is closed again).</summary>
    public static RecordingHeader ReadHeader(string path)
    {
        using var recording = Open(path);
        return recording.Header;
    }

    /// <summary>
    /// Reads rows <paramref name="firstRow"/>.. (<paramref name="rows"/> of them) of channels
    /// <paramref name="firstChannel"/>.. (1-based, <paramref name="channels"/> of them) into
    /// <paramref name="destination"/>, time-major <c>[row][channel]</c>, as float32.
    /// </summary>
    public void Read(long firstRow, int rows, int firstChannel, int channels, Span<float> destination)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(firstRow);
        ArgumentOutOfRangeException.ThrowIfLessThan(rows, 0);
        ArgumentOutOfRangeException.ThrowIfLessThan(firstChannel, 1);
        if (firstRow + rows > Header.SampleCount)
            throw new ArgumentOutOfRangeException(nameof(rows), $"rows {firstRow}..{firstRow + rows - 1} run past the recording's {Header.SampleCount}");
        if (firstChannel + channels - 1 > Header.Channels)
            throw new ArgumentOutOfRangeException(nameof(channels), $"channels {firstChannel}..{firstChannel + channels - 1} run past the recording's {Header.Channels}");
        var count = (long)rows * channels <= int.MaxValue ? rows * channels
            : throw new ArgumentOutOfRangeException(nameof(rows), $"{rows} rows of {channels} channels are more values than one read may hold");
        if (destination.Length < count) throw new ArgumentException($"destination holds {destination.Length} values; {count} needed", nameof(destination));
        if (count == 0) return;

        _rawData.Read(firstRow, rows, firstChannel - 1, channels, destination);
    }

    /// <summary>
    /// The sample times (UTC epoch µs, from <c>RawDataTime</c>) of rows <paramref name="firstRow"/>.. into
    /// <paramref name="destination"/>. A value outside the file's own first..last time (a corrupt row) is replaced by
    /// the time the nominal rate gives that row, so a bad row can never move a line out of its recording.
    /// </summary>
    public void ReadTimes(long firstRow, Span<long> destination)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(firstRow);
        if (firstRow + destination.Length > Header.SampleCount)
            throw new ArgumentOutOfRangeException(nameof(destination), $"rows {firstRow}..{firstRow + destination.Length - 1} run past the recording's {Header.SampleCount}");
        if (destination.IsEmpty) return;
        _rawDataTime.Read(destination, new HyperslabSelection((ulong)firstRow, (ulong)destination.Length), memoryDims: [(ulong)destination.Length]);
        var (first, last) = _timeRange;
        for (var i = 0; i < destination.Length; i++)
            if (destination[i] < first || destination[i] > last)
                destination[i] = Math.Min(last, first + (long)Math.Round((firstRow + i) * 1e6 / Header.Prr));
    }

    public void Dispose() => _file.Dispose();

    private static (NativeDataset RawData, NativeDataset RawDataTime, (long First, long Last) TimeRange, RecordingHeader Header) ReadHeader(NativeFile file, string path)
    {
        if (!file.LinkExists(AcquisitionPath) || file.Get(AcquisitionPath) is not IH5Group acquisition)
            throw new RecordingFormatException(path, RecordingProblem.UnsupportedFormat,
                "no /Acquisition group (not a PRODML DAS file; e.g. Terra15 or Silixa native HDF5)");
        if (!file.LinkExists(RawDataPath) || file.Get(RawDataPath) is not NativeDataset rawData)
        {
            var processed = file.LinkExists(AcquisitionPath + "/Processed") ? "; it holds only processed data (/Acquisition/Processed)" : "";
            throw new RecordingFormatException(path, RecordingProblem.NoRawData, $"no {RawDataPath}{processed}");
        }
        var raw = file.Group(RawPath);

        var type = rawData.Type;
        var sampleType = (type.Class, type.Size) switch
        {
            (H5DataTypeClass.FixedPoint, 2) when type.FixedPoint.IsSigned => RawSampleType.Int16,
            (H5DataTypeClass.FloatingPoint, 4) => RawSampleType.Float32,
            _ => throw new RecordingFormatException(path, RecordingProblem.UnsupportedFormat,
                $"RawData is {type.Class} of {type.Size} bytes; int16 or float32 expected"),
        };
        var dims = rawData.Space.Dimensions;
        if (dims.Length != 2)
            throw new RecordingFormatException(path, RecordingProblem.UnsupportedFormat, $"RawData has rank {dims.Length}; [time][locus] expected");
        var dimensionNames = ProdmlAttributes.Texts(rawData, "Dimensions");
        if (dimensionNames.Length == 2 && !string.Equals(dimensionNames[0], "time", StringComparison.OrdinalIgnoreCase))
            throw new RecordingFormatException(path, RecordingProblem.UnsupportedFormat,
                $"RawData dimensions are [{string.Join(", ", dimensionNames)}]; [time, locus] expected");
        if (dims[1] > RecordingLimits.MaxLoci)
            throw new RecordingFormatException(path, RecordingProblem.Invalid, $"RawData holds {dims[1]} loci, more than {RecordingLimits.MaxLoci}");
        if (dims[0] > RecordingLimits.MaxSamples)
            throw new RecordingFormatException(path, RecordingProblem.Invalid, $"RawData holds {dims[0]} samples, more than {RecordingLimits.MaxSamples}");
        RecordingLimits.CheckChunks(rawData, "RawData");
        var samples = (long)dims[0];
        var channels = (int)dims[1];
        if (samples < 1 || channels < 1)
            throw new RecordingFormatException(path, RecordingProblem.Invalid, $"RawData is empty ({samples} x {channels})");

        var (rawDataTime, timeRange, start, measuredRate) = ReadTimeAxis(file, path, samples);
        var statedRate = ProdmlAttributes.Number(raw, "OutputDataRate");
        double prr;
        if (statedRate is > 0 and var r && double.IsFinite(r))
        {
            if (measuredRate is { } m && Math.Abs(m - r) > 0.01 * r)
                throw new RecordingFormatException(path, RecordingProblem.Invalid,
                    $"OutputDataRate {r} Hz disagrees with RawDataTime ({m:F3} Hz)");
            prr = r;
        }
        else
        {
            prr = measuredRate ?? throw new RecordingFormatException(path, RecordingProblem.Invalid,
                "no OutputDataRate and too few RawDataTime values to measure the rate");
        }

        RecordingLimits.CheckPrr(prr, "the rate");
        RecordingLimits.CheckEnd(start, (ulong)samples, prr);
        var dx = ProdmlAttributes.Number(acquisition, "SpatialSamplingInterval") ?? 1.0;
        if (!double.IsFinite(dx) || dx <= 0 || dx > 1e6)
            throw new RecordingFormatException(path, RecordingProblem.Invalid, $"SpatialSamplingInterval {dx} is not a distance between loci");
        var startLocus = ProdmlAttributes.Number(raw, "StartLocusIndex") ?? ProdmlAttributes.Number(acquisition, "StartLocusIndex") ?? 0;
        if (!double.IsFinite(startLocus) || Math.Abs(startLocus) > 1e15)
            throw new RecordingFormatException(path, RecordingProblem.Invalid, $"StartLocusIndex {startLocus} is not a locus index");
        if (ProdmlAttributes.Unit(acquisition, "SpatialSamplingInterval") is { } unit &&
            (unit.Equals("ft", StringComparison.OrdinalIgnoreCase) || unit.Equals("foot", StringComparison.OrdinalIgnoreCase)))
            dx *= 0.3048;
        var header = new RecordingHeader
        {
            Path = path,
            SchemaVersion = ProdmlAttributes.Text(acquisition, "schemaVersion") ?? "",
            Vendor = ProdmlAttributes.Text(acquisition, "VendorCode") ?? ProdmlAttributes.Text(acquisition, "ServiceCompanyName"),
            Start = start,
            Prr = prr,
            Channels = channels,
            SampleCount = samples,
            Dx = dx,
            StartLocusIndex = (long)startLocus,
            SampleType = sampleType,
            PartStartTime = ProdmlAttributes.Time(rawData, "PartStartTime"),
            PartEndTime = ProdmlAttributes.Time(rawData, "PartEndTime"),
        };
        return (rawData, rawDataTime, timeRange, header);
    }

    /// <summary>First sample time and the rate measured over the whole time axis (µs, per PRODML).</summary>
    private static (NativeDataset Time, (long First, long Last) Range, DateTimeOffset Start, double? Rate) ReadTimeAxis(NativeFile file, string path, long samples)
    {
        if (!file.LinkExists(RawDataTimePath) || file.Get(RawDataTimePath) is not NativeDataset time)
            throw new RecordingFormatException(path, RecordingProblem.Invalid, $"no {RawDataTimePath}");
        if (time.Space.Dimensions is not [var length] || (long)length != samples)
            throw new RecordingFormatException(path, RecordingProblem.Invalid,
                $"RawDataTime holds [{string.Join(", ", time.Space.Dimensions)}] values for {samples} samples");
        if (time.Type.Class != H5DataTypeClass.FixedPoint || time.Type.Size != 8)
            throw new RecordingFormatException(path, RecordingProblem.Invalid, $"RawDataTime is {time.Type.Class} of {time.Type.Size} bytes; int64 µs expected");
        RecordingLimits.CheckChunks(time, "RawDataTime");
        var ends = new long[2];
        time.Read(ends.AsSpan(0, 1), new HyperslabSelection(0, 1), memoryDims: [1]);
        time.Read(ends.AsSpan(1, 1), new HyperslabSelection((ulong)samples - 1, 1), memoryDims: [1]);
        var start = RecordingLimits.Time(ends[0], "RawDataTime[0]");
        RecordingLimits.Time(ends[1], $"RawDataTime[{samples - 1}]");
        if (samples < 2) return (time, (ends[0], ends[0]), start, null);
        if (ends[1] <= ends[0])
            throw new RecordingFormatException(path, RecordingProblem.Invalid, "RawDataTime does not increase");
        return (time, (ends[0], ends[1]), start, (samples - 1) * 1e6 / (ends[1] - ends[0]));
    }
}
