using Focus.Analyzer.Historic;

namespace Focus.UnitTests.Historic;

public sealed class ProdmlRecordingTests
{
    [Fact]
    public void Prodml20SampleLoadsWithItsTrueHeader()
    {
        using var recording = ProdmlRecording.Open(SharedData.Das("prodml_2.0.h5"));
        var h = recording.Header;
        Assert.Equal("2.0", h.SchemaVersion);
        Assert.Equal("Silixa_iDAS_DAQ_2.6.1.4", h.Vendor);
        Assert.Equal(200, h.Prr);
        Assert.Equal(512, h.Channels);
        Assert.Equal(2500, h.SampleCount);
        Assert.Equal(-260, h.StartLocusIndex);
        Assert.Equal(1.02095, h.Dx, 4);
        Assert.Equal(RawSampleType.Int16, h.SampleType);
        Assert.Equal(DateTimeOffset.UnixEpoch, h.Start);
        Assert.Equal(DateTimeOffset.UnixEpoch.AddSeconds(12.5), h.End); // last sample 12.495 s + 1/200
        Assert.Equal(DateTimeOffset.UnixEpoch.AddTicks(124_950_000), h.PartEndTime);
    }

    [Fact]
    public void Prodml21SampleLoadsWithItsTrueHeader()
    {
        using var recording = ProdmlRecording.Open(SharedData.Das("iDAS005_hdf5_example.626.h5"));
        var h = recording.Header;
        Assert.Equal("2.1", h.SchemaVersion);
        Assert.Equal(1000, h.Prr);
        Assert.Equal(1152, h.Channels);
        Assert.Equal(1000, h.SampleCount);
        Assert.Equal(-118, h.StartLocusIndex);
        Assert.Equal(1.02095, h.Dx, 4);
        Assert.Equal(new DateTimeOffset(2019, 5, 31, 8, 38, 50, TimeSpan.Zero).AddTicks(6_269_280), h.Start);
        Assert.Equal(h.Start.AddSeconds(1), h.End);
    }

    [Theory]
    [InlineData("prodml_2.0.h5", -17_970, 16_700, 2242)]
    [InlineData("iDAS005_hdf5_example.626.h5", -19_360, 24_060, 793)]
    public void ValuesMatchTheSamplesStatistics(string name, float min, float max, double std)
    {
        using var recording = ProdmlRecording.Open(SharedData.Das(name));
        var h = recording.Header;
        var all = new float[h.SampleCount * h.Channels];
        // In time slices, as playback reads: 300 rows at a time.
        for (long row = 0; row < h.SampleCount; row += 300)
        {
            var rows = (int)Math.Min(300, h.SampleCount - row);
            recording.Read(row, rows, 1, h.Channels, all.AsSpan((int)(row * h.Channels), rows * h.Channels));
        }
        // SOURCES.md rounds the extremes to tens.
        Assert.InRange(all.Min(), min - 5, min + 5);
        Assert.InRange(all.Max(), max - 5, max + 5);
        var mean = all.Average(v => (double)v);
        var sd = Math.Sqrt(all.Average(v => (v - mean) * (v - mean)));
        Assert.InRange(sd, std * 0.99, std * 1.01);
    }

    [Fact]
    public void AChannelRangeReadsTheSameValuesAsTheFullRows()
    {
        using var recording = ProdmlRecording.Open(SharedData.Das("prodml_2.0.h5"));
        var rows = new float[10 * 512];
        recording.Read(1234, 10, 1, 512, rows);
        var part = new float[10 * 7];
        recording.Read(1234, 10, 100, 7, part); // channels 100..106: columns 99..105
        for (var r = 0; r < 10; r++)
            for (var c = 0; c < 7; c++)
                Assert.Equal(rows[r * 512 + 99 + c], part[r * 7 + c]);
    }

    [Fact]
    public void FbeOnlyFileIsReportedAsNoRawData()
    {
        var error = Assert.Throws<RecordingFormatException>(() => ProdmlRecording.Open(SharedData.Das("prodml_fbe_1.h5")));
        Assert.Equal(RecordingProblem.NoRawData, error.Problem);
        Assert.Contains("no raw data", error.Message);
    }

    [Theory]
    [InlineData("terra15_v5_test_file.hdf5")]
    [InlineData("silixa_h5_1.hdf5")]
    public void OtherLayoutsAreAnUnsupportedFormat(string name)
    {
        var error = Assert.Throws<RecordingFormatException>(() => ProdmlRecording.Open(SharedData.Das(name)));
        Assert.Equal(RecordingProblem.UnsupportedFormat, error.Problem);
        Assert.Contains("unsupported format", error.Message);
    }

    [Fact]
    public void AFileThatIsNotHdf5IsAnUnsupportedFormat()
    {
        var path = Path.Combine(Path.GetTempPath(), $"focus-not-h5-{Guid.NewGuid():N}.h5");
        File.WriteAllText(path, "this is not HDF5");
        try
        {
            var error = Assert.Throws<RecordingFormatException>(() => ProdmlRecording.Open(path));
            Assert.Equal(RecordingProblem.UnsupportedFormat, error.Problem);
        }
        finally
        {
            File.Delete(path);
        }
    }
}
