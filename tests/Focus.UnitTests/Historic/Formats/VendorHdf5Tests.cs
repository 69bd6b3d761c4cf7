using Focus.Analyzer.Historic;
using Focus.Analyzer.Historic.Formats;
using Focus.Analyzer.Historic.Formats.Silixa;
using Focus.Analyzer.Historic.Formats.Terra15;

namespace Focus.UnitTests.Historic.Formats;

/// <summary>The real Terra15 and Silixa samples (SOURCES.md states what they hold), and the processed PRODML one that is not played.</summary>
public sealed class VendorHdf5Tests
{
    [Fact]
    public void Terra15_v5_is_read_with_its_gps_clock_and_measured_rate()
    {
        using var recording = RecordingFormats.Open(SharedData.Das("terra15_v5_test_file.hdf5"));
        Assert.IsType<Terra15Recording>(recording);
        var h = recording.Header;
        Assert.Equal(("Terra15", "file_version 5", "TrebleBowie"), (h.Format, h.SchemaVersion, h.Vendor));
        Assert.Equal((43, 2060L, RawSampleType.Float32), (h.Channels, h.SampleCount, h.SampleType));
        Assert.Equal(1.63352, h.Dx, 4);
        // gps_time[0] = 1661296194.3738363 s; 2059 steps to 1661296195.0137136 s: 3217.80 Hz (dt_computer's 0.00031096 s says 3215.9)
        Assert.Equal(DateTimeOffset.FromUnixTimeMilliseconds(1_661_296_194_373).AddTicks(8_360), h.Start);
        Assert.Equal(2059 / (1661296195.0137136 - 1661296194.3738363), h.Prr, 3);

        var values = new float[h.SampleCount * h.Channels];
        recording.Read(0, (int)h.SampleCount, 1, h.Channels, values);
        Assert.InRange(values.Min(), -5.2e-5f, -5.0e-5f); // SOURCES.md: -5.1e-5 to 3.46e-4 (m/s)
        Assert.InRange(values.Max(), 3.45e-4f, 3.47e-4f);

        var times = new long[h.SampleCount];
        recording.ReadTimes(0, times);
        Assert.Equal(1_661_296_194_373_836, times[0]);
        Assert.Equal(1_661_296_195_013_714, times[^1]);
        Assert.All(times.Zip(times.Skip(1)), p => Assert.InRange(p.Second - p.First, 300, 320)); // the file's own steps, 310-312 µs
    }

    [Fact]
    public void Silixa_iDAS_native_is_read_with_its_gps_timestamp()
    {
        using var recording = RecordingFormats.Open(SharedData.Das("silixa_h5_1.hdf5"));
        Assert.IsType<SilixaRecording>(recording);
        var h = recording.Header;
        Assert.Equal(("Silixa", "iDAS 2.4.1.111"), (h.Format, h.SchemaVersion));
        Assert.Equal((3840, 100L, 500.0, RawSampleType.Int16), (h.Channels, h.SampleCount, h.Prr, h.SampleType));
        Assert.Equal(2 * 1.020952, h.Dx, 6);
        Assert.Equal(new DateTimeOffset(2023, 9, 22, 18, 29, 26, 158, TimeSpan.Zero), h.Start); // GPSTimeStamp, day first
        Assert.Equal(h.Start.AddSeconds(0.2), h.End);

        var values = new float[h.SampleCount * h.Channels];
        recording.Read(0, (int)h.SampleCount, 1, h.Channels, values);
        Assert.InRange(values.Min(), -24_675, -24_665); // SOURCES.md rounds to tens
        Assert.InRange(values.Max(), 24_135, 24_145);
        var times = new long[2];
        recording.ReadTimes(98, times);
        Assert.Equal(h.Start.ToUnixTimeMilliseconds() * 1000 + 98 * 2000, times[0]);
        Assert.Equal(times[0] + 2000, times[1]);
    }

    [Fact]
    public void A_processed_PRODML_file_is_no_raw_data_and_says_so()
    {
        var error = Assert.Throws<RecordingFormatException>(() => RecordingFormats.Open(SharedData.Das("prodml_fbe_1.h5")));
        Assert.Equal(RecordingProblem.NoRawData, error.Problem);
        Assert.Contains("only processed data", error.Message);
    }

    [Fact]
    public void An_HDF5_file_of_no_known_layout_names_the_three_it_is_not()
    {
        var path = Path.Combine(Path.GetTempPath(), $"focus-unknown-layout-{Guid.NewGuid():N}.h5");
        try
        {
            var file = new PureHDF.H5File { ["Something"] = new PureHDF.H5Dataset(new float[] { 1, 2, 3 }) };
            file.Write(path);
            var error = Assert.Throws<RecordingFormatException>(() => RecordingFormats.Open(path));
            Assert.Equal(RecordingProblem.UnsupportedFormat, error.Problem);
            Assert.Contains("PRODML", error.Reason);
            Assert.Contains("Terra15", error.Reason);
            Assert.Contains("Silixa", error.Reason);
        }
        finally
        {
            File.Delete(path);
        }
    }
}
