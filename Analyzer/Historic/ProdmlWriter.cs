using System.Globalization;
using PureHDF;
using PureHDF.Selections;

namespace Focus.Analyzer.Historic;

/// <summary>
/// Writes a PRODML 2.1 DAS recording in the layout <see cref="ProdmlRecording"/> reads (and vendors write):
/// <c>/Acquisition</c> attributes, <c>/Acquisition/Raw[0]/RawData</c> float32 [time][locus] and
/// <c>RawDataTime</c> int64 µs. Samples are asked for block by block, so a file of any length is written
/// with one block in memory at a time.
/// </summary>
public static class ProdmlWriter
{
    /// <summary>Rows asked of <paramref name="fill"/> at a time.</summary>
    public const int BlockRows = 2000;

    /// <param name="path">The file to create (replaced if it exists).</param>
    /// <param name="firstSampleIndex">Sample index (since the epoch at <paramref name="prr"/>) of row 0.</param>
    /// <param name="fill">Fills <c>[rows][channels]</c> float32 for rows starting at the given sample index.</param>
    public static void Write(string path, double prr, int channels, double dx, long firstSampleIndex, long samples,
        Action<long, int, Span<float>> fill, string vendor = "focus-simulator")
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(channels, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(samples, 1);
        if (!(prr > 0)) throw new ArgumentOutOfRangeException(nameof(prr), prr, "prr must be positive");

        var clock = new Sources.Simulated.SampleClock(prr);
        var start = clock.TimeOf(firstSampleIndex);
        var end = clock.TimeOf(firstSampleIndex + samples - 1);
        var rawData = new H5Dataset<float[]>(fileDims: [(ulong)samples, (ulong)channels]);
        var times = new long[samples];
        for (long i = 0; i < samples; i++) times[i] = Microseconds(clock.TimeOf(firstSampleIndex + i));

        var file = new H5File
        {
            Attributes = { ["uuid"] = Guid.NewGuid().ToString() },
            ["Acquisition"] = new H5Group
            {
                Attributes =
                {
                    ["schemaVersion"] = "2.1",
                    ["VendorCode"] = vendor,
                    ["AcquisitionId"] = Guid.NewGuid().ToString(),
                    ["MeasurementStartTime"] = Iso(start),
                    ["NumberOfLoci"] = (long)channels,
                    ["StartLocusIndex"] = 0L,
                    ["SpatialSamplingInterval"] = dx,
                    ["SpatialSamplingInterval.uom"] = "m",
                    ["PulseRate"] = prr,
                    ["PulseRate.uom"] = "Hz",
                    ["MinimumFrequency"] = 0.0,
                    ["MaximumFrequency"] = prr / 2,
                },
                ["Raw[0]"] = new H5Group
                {
                    Attributes =
                    {
                        ["OutputDataRate"] = prr,
                        ["OutputDataRate.uom"] = "Hz",
                        ["NumberOfLoci"] = (long)channels,
                        ["StartLocusIndex"] = 0L,
                        ["RawDescription"] = "simulated strain rate",
                        ["RawDataUnit"] = "1",
                    },
                    ["RawData"] = WithAttributes(rawData, new Dictionary<string, object>
                    {
                        ["Dimensions"] = new[] { "time", "locus" },
                        ["PartStartTime"] = Iso(start),
                        ["PartEndTime"] = Iso(end),
                        ["StartIndex"] = 0L,
                        ["Count"] = samples * channels,
                    }),
                    ["RawDataTime"] = new H5Dataset(times)
                    {
                        Attributes =
                        {
                            ["StartTime"] = Iso(start),
                            ["EndTime"] = Iso(end),
                            ["PartStartTime"] = Iso(start),
                            ["PartEndTime"] = Iso(end),
                            ["Uom"] = "us",
                        },
                    },
                },
            },
        };

        var block = new float[BlockRows * channels];
        using var writer = file.BeginWrite(path);
        for (long row = 0; row < samples; row += BlockRows)
        {
            var rows = (int)Math.Min(BlockRows, samples - row);
            var span = block.AsSpan(0, rows * channels);
            fill(firstSampleIndex + row, rows, span);
            var data = rows == BlockRows ? block : span.ToArray();
            writer.Write(rawData, data, fileSelection: new HyperslabSelection(2, [(ulong)row, 0], [(ulong)rows, (ulong)channels]));
        }
    }

    private static H5Dataset<float[]> WithAttributes(H5Dataset<float[]> dataset, Dictionary<string, object> attributes)
    {
        foreach (var (key, value) in attributes) dataset.Attributes[key] = value;
        return dataset;
    }

    private static long Microseconds(DateTimeOffset time) => (time.UtcTicks - DateTimeOffset.UnixEpoch.UtcTicks) / 10;

    private static string Iso(DateTimeOffset time) =>
        time.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.ffffff'+00:00'", CultureInfo.InvariantCulture);
}
