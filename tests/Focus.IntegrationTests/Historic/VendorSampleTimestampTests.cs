using System.Text.Json.Nodes;
using Focus.Analyzer.Historic;
using Focus.IntegrationTests.Infrastructure;
using Grpc.Core;
using PureHDF;

namespace Focus.IntegrationTests.Historic;

/// <summary>
/// CONTRACT §1/§2: a historic line's <c>timestamp_in_milis</c> is its frame's first-sample time floored to the ms, the
/// time the file itself records (<c>RawDataTime</c>), not the epoch sample grid the frames are stitched on. Checked
/// from outside on the real vendor samples: the first recorded row at or after each line's time, windowed and
/// transformed per the contract's formula, is the line.
/// </summary>
public sealed class VendorSampleTimestampTests(VendorSampleService service) : IClassFixture<VendorSampleService>
{
    private const int Channels = 4;

    private static JsonObject Body(DateTimeOffset start, int seconds)
    {
        // MULTICHANNEL 1..4, nfft 128, 1 s over 100 lines: hop 10 at 1000 Hz, 2 at 200 Hz.
        var body = FocusApi.LiveBody(min: 1, max: Channels, view: 0, height: 100, duration: 1, nfft: 128, fmin: null, fmax: null);
        body["start_time"] = start.ToUnixTimeSeconds();
        body["end_time"] = start.ToUnixTimeSeconds() + seconds;
        return body;
    }

    [Fact]
    public async Task The_iDAS_samples_first_line_is_stamped_with_row_3s_recorded_time()
    {
        var job = await service.Http.Configure(Body(new DateTimeOffset(2019, 5, 31, 8, 38, 50, TimeSpan.Zero), 2));
        var lines = await PlayAll(job);
        // The file starts at .626928 at 1000 Hz; the first frame on the window's 10 ms line grid is row 3, recorded at .629928.
        var first = lines[0].Single(l => l.RowIndex == 0);
        Assert.Equal(new DateTimeOffset(2019, 5, 31, 8, 38, 50, 629, TimeSpan.Zero).ToUnixTimeMilliseconds(), first.TimestampMs);
        await service.Http.Delete((string)job["job_id"]!);
    }

    [Theory]
    [InlineData(VendorSampleService.Idas, "2019-05-31T08:38:50Z", 2)]
    [InlineData(VendorSampleService.Prodml20, "1970-01-01T00:00:00Z", 13)]
    public async Task Every_line_is_the_frame_of_the_first_row_recorded_at_or_after_its_timestamp(string file, string start, int seconds)
    {
        var job = await service.Http.Configure(Body(DateTimeOffset.Parse(start, System.Globalization.CultureInfo.InvariantCulture), seconds));
        var nfft = (int)job["internal_nfft"]!;
        var prr = (double)job["metadata"]!["prr"]!;
        var bins = job["frequencies_list"]!.AsArray().Select(f => (int)Math.Round((double)f! * nfft / prr)).ToArray();
        var lines = await PlayAll(job);
        await service.Http.Delete((string)job["job_id"]!);

        var path = VendorSamples.Path(file);
        var times = RecordedMicros(path);
        using var recording = ProdmlRecording.Open(path);
        var rows = (int)recording.Header.SampleCount;
        var samples = new float[rows * Channels];
        recording.Read(0, rows, 1, Channels, samples);

        var reference = new ContractSpectrum(nfft, bins);
        var errors = new List<double>();
        for (var stream = 0; stream < Channels; stream++)
        {
            Assert.NotEmpty(lines[stream]);
            foreach (var line in lines[stream])
            {
                var row = Array.FindIndex(times, t => t >= line.TimestampMs * 1000);
                Assert.True(row >= 0 && row + nfft <= rows, $"line {line.RowIndex} at {line.TimestampMs} ms names no full frame of {file}");
                var expected = reference.Compute(samples, row, stream, Channels);
                Assert.Equal(expected.Length, line.Values.Length);
                for (var k = 0; k < expected.Length; k++) errors.Add(Math.Abs(expected[k] - line.Values[k]));
            }
        }
        errors.Sort();
        var p99 = errors[(int)(0.99 * (errors.Count - 1))];
        Assert.True(p99 <= 0.1, $"p99 of |line - reference| is {p99:F3} dB over {errors.Count} values of {file}; the lines' timestamps name other frames");
    }

    /// <summary>Every stream of the job, played to its end (OK) by calls made together, as a client does.</summary>
    private static async Task<List<ByteStringLine>[]> PlayAll(JsonObject job)
    {
        using var channel = FocusApi.Channel(job);
        return await Task.WhenAll(Enumerable.Range(0, Channels).Select(async stream =>
        {
            using var call = FocusApi.Stream(channel, stream);
            return await call.ReadToEnd();
        }));
    }

    /// <summary><c>RawDataTime</c> as the file stores it (µs), read directly.</summary>
    private static long[] RecordedMicros(string path)
    {
        using var file = H5File.OpenRead(path);
        return file.Dataset("/Acquisition/Raw[0]/RawDataTime").Read<long[]>();
    }
}
