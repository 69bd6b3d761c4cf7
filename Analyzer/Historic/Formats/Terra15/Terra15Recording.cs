using PureHDF;
using PureHDF.Selections;
using PureHDF.VOL.Native;

namespace Focus.Analyzer.Historic.Formats.Terra15;

/// <summary>
/// An open Terra15 Treble recording (HDF5 <c>file_version</c> 4, 5 or 6; the facts as DASCore's public reader
/// documents them): root attributes (<c>file_version</c>, <c>file_start_computer_time</c>, <c>dx</c>,
/// <c>serial_number</c>, <c>data_product</c> such as velocity or strain rate), the data node <c>/data_product</c>
/// (v5, v6) or <c>/{data_product}</c> (v4) holding <c>data</c> [time][channel] float32 and the time axis
/// <c>gps_time</c> (else <c>posix_time</c>), float64 epoch seconds per row. Frames allocated but never written
/// (times of 0 after the last one written) are left out. The rate is measured over the written time axis, first to
/// last (the <c>dt</c> attributes disagree with it), and each row's time is the file's own <c>gps_time</c>.
/// </summary>
public sealed class Terra15Recording : IRecording
{
    private readonly NativeFile _file;
    private readonly NativeDataset _data;
    private readonly NativeDataset _time;
    private readonly (long First, long Last) _range;
    private double[] _seconds = [];
    private double[] _float64 = [];

    private Terra15Recording(NativeFile file, NativeDataset data, NativeDataset time, (long, long) range, RecordingHeader header)
    {
        _file = file;
        _data = data;
        _time = time;
        _range = range;
        Header = header;
    }

    public RecordingHeader Header { get; }

    /// <summary>Whether <paramref name="file"/> has Terra15's fingerprint: root attributes <c>file_version</c> and <c>file_start_computer_time</c>.</summary>
    internal static bool Matches(NativeFile file) => file.AttributeExists("file_version") && file.AttributeExists("file_start_computer_time");

    /// <summary>Reads the header of <paramref name="file"/> (which it keeps on success; the caller disposes it on a throw).</summary>
    internal static Terra15Recording Open(NativeFile file, string path)
    {
        var version = ProdmlAttributes.Text(file, "file_version") ?? "";
        var nodePath = version switch
        {
            "5" or "6" => "/data_product",
            "4" => "/" + (ProdmlAttributes.Text(file, "data_product") ?? ""),
            _ => throw new RecordingFormatException(path, RecordingProblem.UnsupportedFormat, $"Terra15 file_version {version}; 4, 5 and 6 are read"),
        };
        if (!file.LinkExists(nodePath) || file.Get(nodePath) is not IH5Group)
            throw new RecordingFormatException(path, RecordingProblem.Invalid, $"Terra15 file_version {version} without its data group {nodePath}");
        var node = file.Group(nodePath);
        if (!node.LinkExists("data") || node.Get("data") is not NativeDataset data)
            throw new RecordingFormatException(path, RecordingProblem.NoRawData, $"no {nodePath}/data dataset");
        var timeName = node.LinkExists("gps_time") ? "gps_time" : "posix_time";
        if (!node.LinkExists(timeName) || node.Get(timeName) is not NativeDataset time)
            throw new RecordingFormatException(path, RecordingProblem.Invalid, $"no {nodePath}/gps_time or posix_time");

        var sampleType = (data.Type.Class, data.Type.Size) switch
        {
            (H5DataTypeClass.FloatingPoint, 4) => RawSampleType.Float32,
            (H5DataTypeClass.FloatingPoint, 8) => RawSampleType.Float64,
            _ => throw new RecordingFormatException(path, RecordingProblem.UnsupportedFormat, $"data is {data.Type.Class} of {data.Type.Size} bytes; float32 or float64 expected"),
        };
        if (data.Space.Dimensions is not [var rows, var channels])
            throw new RecordingFormatException(path, RecordingProblem.UnsupportedFormat, $"data has rank {data.Space.Dimensions.Length}; [time][channel] expected");
        if (channels is 0 or > RecordingLimits.MaxLoci || rows is 0 or > RecordingLimits.MaxSamples)
            throw new RecordingFormatException(path, RecordingProblem.Invalid, $"data is {rows} x {channels}; up to {RecordingLimits.MaxSamples} x {RecordingLimits.MaxLoci}");
        if (time.Space.Dimensions is not [var timeLength] || timeLength != rows)
            throw new RecordingFormatException(path, RecordingProblem.Invalid, $"{timeName} holds [{string.Join(", ", time.Space.Dimensions)}] values for {rows} rows");
        if (time.Type.Class != H5DataTypeClass.FloatingPoint || time.Type.Size != 8)
            throw new RecordingFormatException(path, RecordingProblem.Invalid, $"{timeName} is {time.Type.Class} of {time.Type.Size} bytes; float64 seconds expected");
        RecordingLimits.CheckChunks(data, "data");
        RecordingLimits.CheckChunks(time, timeName);

        var first = Seconds(time, 0);
        var written = WrittenRows(time, (long)rows, first);
        var last = Seconds(time, written - 1);
        var firstMicros = Micros(first, timeName + "[0]");
        var lastMicros = Micros(last, $"{timeName}[{written - 1}]");
        double prr;
        if (written >= 2)
        {
            if (lastMicros <= firstMicros) throw new RecordingFormatException(path, RecordingProblem.Invalid, $"{timeName} does not increase");
            prr = (written - 1) / (last - first);
        }
        else
        {
            var dt = ProdmlAttributes.Number(data, "dT") ?? ProdmlAttributes.Number(file, "dt_computer") ?? double.NaN;
            prr = 1 / dt;
        }
        RecordingLimits.CheckPrr(prr, "the rate");
        var start = RecordingLimits.Time(firstMicros, timeName + "[0]");
        RecordingLimits.CheckEnd(start, (ulong)written, prr);
        var dx = ProdmlAttributes.Number(file, "dx") ?? ProdmlAttributes.Number(data, "dx") ?? 1;
        if (!double.IsFinite(dx) || dx <= 0 || dx > 1e6)
            throw new RecordingFormatException(path, RecordingProblem.Invalid, $"dx {dx} is not a distance between channels");
        var header = new RecordingHeader
        {
            Path = path,
            Format = "Terra15",
            SchemaVersion = $"file_version {version}",
            Vendor = ProdmlAttributes.Text(file, "serial_number"),
            Start = start,
            Prr = prr,
            Channels = (int)channels,
            SampleCount = written,
            Dx = dx,
            StartLocusIndex = 0,
            SampleType = sampleType,
        };
        return new Terra15Recording(file, data, time, (firstMicros, lastMicros), header);
    }

    public void Read(long firstRow, int rows, int firstChannel, int channels, Span<float> destination) =>
        RecordingReads.Hyperslab(_data, Header, firstRow, rows, firstChannel, channels, destination, ref _float64);

    /// <summary>The rows' <c>gps_time</c> in µs; a value outside the file's own first..last (a glitch) is the rate's time for that row.</summary>
    public void ReadTimes(long firstRow, Span<long> destination)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(firstRow);
        if (firstRow + destination.Length > Header.SampleCount)
            throw new ArgumentOutOfRangeException(nameof(destination), $"rows {firstRow}..{firstRow + destination.Length - 1} run past the recording's {Header.SampleCount}");
        if (destination.IsEmpty) return;
        if (_seconds.Length < destination.Length) _seconds = new double[destination.Length];
        var seconds = _seconds.AsSpan(0, destination.Length);
        _time.Read(seconds, new HyperslabSelection((ulong)firstRow, (ulong)destination.Length), memoryDims: [(ulong)destination.Length]);
        var (first, last) = _range;
        for (var i = 0; i < destination.Length; i++)
        {
            var micros = double.IsFinite(seconds[i]) ? Math.Round(seconds[i] * 1e6) : double.NaN;
            destination[i] = micros >= first && micros <= last
                ? (long)micros
                : Math.Min(last, first + (long)Math.Round((firstRow + i) * 1e6 / Header.Prr));
        }
    }

    public void Dispose() => _file.Dispose();

    /// <summary>
    /// Rows written: all when the last time follows the first, else (frames allocated ahead and not yet written hold
    /// time 0) the end of the increasing prefix, found by bisection (one value read per step).
    /// </summary>
    private static long WrittenRows(NativeDataset time, long rows, double first)
    {
        if (Seconds(time, rows - 1) > first || rows == 1) return rows;
        long good = 0, bad = rows - 1; // time[good] follows first (or is it), time[bad] does not
        while (bad - good > 1)
        {
            var middle = good + (bad - good) / 2;
            if (Seconds(time, middle) > first) good = middle;
            else bad = middle;
        }
        return good + 1;
    }

    private static double Seconds(NativeDataset time, long row)
    {
        var value = new double[1];
        time.Read(value.AsSpan(), new HyperslabSelection((ulong)row, 1), memoryDims: [1]);
        return value[0];
    }

    private static long Micros(double seconds, string what) =>
        double.IsFinite(seconds) && Math.Abs(seconds) < 2.5e11 // beyond DateTime's years either way
            ? (long)Math.Round(seconds * 1e6)
            : throw new InvalidDataException($"{what} {seconds} s is not a time");
}
