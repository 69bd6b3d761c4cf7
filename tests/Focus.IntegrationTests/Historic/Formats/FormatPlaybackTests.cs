using System.Net;
using System.Text.Json;
using System.Text.Json.Nodes;
using Focus.Grains.Recordings;
using Focus.IntegrationTests.Infrastructure;
using Focus.UnitTests.Historic.Formats;

namespace Focus.IntegrationTests.Historic.Formats;

/// <summary>
/// Historic playback of every format end to end, judged by tools the project did not write: SEG-Y written by segyio and
/// the real Terra15 sample, played over REST + gRPC, each line compared with CONTRACT §1's spectrum computed in numpy
/// (<c>expected_spectra.py</c>) from the same arrays, channel c being trace (column) c, at the row the file's own clock
/// puts at the line's timestamp. The Silixa sample (shorter than a frame) is listed and accepted and ends with no line;
/// the processed PRODML sample is not listed, and the catalog says why.
/// </summary>
public sealed class FormatPlaybackTests(FormatsService service) : IClassFixture<FormatsService>
{
    private const int Nfft = 256;

    public static TheoryData<string> SegyNames => new(SegyCaseNames.All);

    [Theory]
    [MemberData(nameof(SegyNames))]
    public async Task A_SEG_Y_recording_plays_as_numpy_computes_it_from_segyio_s_arrays(string name)
    {
        var file = service.Segy.Single(c => c.Name == name);
        var start = file.Start;
        var seconds = file.Records > 1 ? 3 : 2; // the records file: across both record boundaries
        var (job, lines) = await Play(start, seconds, channelMin: 2, channelMax: file.Channels, height: 100 * seconds, duration: seconds);
        Assert.Equal(1e6 / file.IntervalUs, (double)job["metadata"]!["prr"]!, 6);
        Assert.Equal(file.Channels, (int)job["metadata"]!["number_of_channels"]!);
        Assert.Equal(start.ToUnixTimeMilliseconds(), lines[0][0].TimestampMs); // the first sample, by the trace headers' clock

        var source = new JsonObject
        {
            ["kind"] = "npy",
            ["path"] = Path.Combine(service.Storage, file.Npy),
            ["start_us"] = file.StartUs,
            ["interval_us"] = file.IntervalUs,
        };
        // Lines every 10 ms whose whole frame was recorded: all 100 a second, but where the recording ends in the window.
        var recorded = file.Samples * file.IntervalUs / 1e6;
        var frame = Nfft * file.IntervalUs / 1e6;
        var expected = (int)Math.Min(seconds * 100, Math.Floor((recorded - frame) / 0.01 + 1e-9) + 1);
        AgreeWithNumpy(job, lines, source, channelMin: 2, label: name, expectedLines: expected);
    }

    [Fact]
    public async Task The_Terra15_sample_plays_as_numpy_computes_it_from_h5py_s_arrays_on_its_gps_clock()
    {
        var start = new DateTimeOffset(2022, 8, 23, 23, 9, 54, TimeSpan.Zero);
        var (job, lines) = await Play(start, 2, channelMin: 38, channelMax: 43, height: 100, duration: 1);
        Assert.Equal(43, (int)job["metadata"]!["number_of_channels"]!);
        Assert.InRange((double)job["metadata"]!["prr"]!, 3217.7, 3217.9);
        // gps_time[0] = 1661296194.3738363 s; the first line is the first on the window's 10 ms line grid from there.
        Assert.InRange(lines[0][0].TimestampMs, 1_661_296_194_373, 1_661_296_194_383);
        var source = new JsonObject { ["kind"] = "terra15", ["path"] = VendorSamples.Path(FormatsService.Terra15) };
        AgreeWithNumpy(job, lines, source, channelMin: 38, label: FormatsService.Terra15, expectedLines: null);
    }

    [Fact]
    public async Task The_Silixa_sample_is_listed_accepted_and_ends_ok_with_no_line()
    {
        var start = new DateTimeOffset(2023, 9, 22, 18, 29, 26, TimeSpan.Zero);
        var listed = await Recordings(start, start.AddSeconds(1));
        Assert.Equal([[start.ToUnixTimeSeconds(), start.ToUnixTimeSeconds() + 1]], listed); // [26.158, 26.358) floored and ceiled

        // 100 samples at 500 Hz, fewer than the smallest frame (nfft 128): accepted, and every stream ends OK empty.
        var (job, lines) = await Play(start, 1, channelMin: 1, channelMax: 3, height: 100, duration: 1, nfft: 128);
        Assert.Equal((500.0, 3840), ((double)job["metadata"]!["prr"]!, (int)job["metadata"]!["number_of_channels"]!));
        Assert.All(lines, stream => Assert.Empty(stream));
    }

    [Fact]
    public async Task The_processed_PRODML_sample_is_not_listed_and_the_catalog_says_why()
    {
        var start = new DateTimeOffset(2023, 4, 26, 16, 14, 49, TimeSpan.Zero);
        Assert.Empty(await Recordings(start, start.AddMinutes(30)));
        var body = FocusApi.LiveBody(min: 1, max: 2, view: 0, height: 100, duration: 10, nfft: 256, fmin: null, fmax: null);
        body["start_time"] = start.ToUnixTimeSeconds();
        body["end_time"] = start.AddMinutes(1).ToUnixTimeSeconds();
        using var response = await service.Http.PostJson("configure", body.ToJsonString());
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode); // no recording in the window

        var skipped = service.Get<FolderRecordingCatalog>().Skipped;
        var reason = Assert.Single(skipped, s => s.Key.EndsWith(FormatsService.Fbe, StringComparison.Ordinal)).Value;
        Assert.Contains("no raw data", reason);
        Assert.Contains("only processed data", reason);
        Assert.Single(skipped); // every other file of the folder is listed
    }

    private async Task<long[][]> Recordings(DateTimeOffset start, DateTimeOffset end)
    {
        var body = new JsonObject { ["start_time"] = start.ToUnixTimeSeconds(), ["end_time"] = end.ToUnixTimeSeconds() };
        using var response = await service.Http.PostJson("recordings_in_time_range", body.ToJsonString());
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        return (await response.Json())["recordings"]!.AsArray().Select(s => s!.AsArray().Select(v => (long)v!).ToArray()).ToArray();
    }

    /// <summary>Configures a MULTICHANNEL window and reads every stream to its end (OK), the calls made together as a client makes them.</summary>
    private async Task<(JsonObject Job, List<ByteStringLine>[] Lines)> Play(DateTimeOffset start, int seconds, int channelMin, int channelMax,
        int height, double duration, int nfft = Nfft)
    {
        var body = FocusApi.LiveBody(min: channelMin, max: channelMax, view: 0, height: height, duration: duration, nfft: nfft, fmin: null, fmax: null);
        body["start_time"] = start.ToUnixTimeSeconds();
        body["end_time"] = start.ToUnixTimeSeconds() + seconds;
        var job = await service.Http.Configure(body);
        using var channel = FocusApi.Channel(job);
        var lines = await Task.WhenAll(Enumerable.Range(0, channelMax - channelMin + 1).Select(async stream =>
        {
            using var call = FocusApi.Stream(channel, stream);
            return await call.ReadToEnd();
        }));
        await service.Http.Delete((string)job["job_id"]!);
        return (job, lines);
    }

    /// <summary>
    /// Every line against numpy's spectrum of its frame: p99 of |line - numpy| ≤ 0.1 dB over all values. The frame of a
    /// stream's line i starts at row r0 + i·hop of the file (hop = lines_dt × prr), and each line's timestamp must be
    /// its row's recorded time (numpy's reading of the file's own clock) floored to the ms. A ms may hold several rows
    /// (2 at 2 kHz, 3 or 4 for Terra15's 3.2 kHz), so r0 is any row that stamps every line of every stream right; the
    /// lines must be numpy's spectra from one of those (the same r0 for all channels).
    /// </summary>
    private static void AgreeWithNumpy(JsonObject job, List<ByteStringLine>[] lines, JsonObject source, int channelMin, string label, int? expectedLines)
    {
        var nfft = (int)job["internal_nfft"]!;
        var prr = (double)job["metadata"]!["prr"]!;
        var hop = (int)Math.Round((double)job["lines_dt"]! * prr);
        var bins = job["frequencies_list"]!.AsArray().Select(f => (int)Math.Round((double)f! * nfft / prr)).ToArray();
        var times = Numpy(source, nfft, bins, []).Times;

        var stamps = lines.Select(stream => stream.Select(l => l.TimestampMs).ToArray()).ToArray();
        for (var stream = 0; stream < lines.Length; stream++)
        {
            Assert.NotEmpty(stamps[stream]);
            if (expectedLines is { } n) Assert.InRange(stamps[stream].Length, n - 1, n + 1);
            Assert.Equal(Enumerable.Range(0, stamps[stream].Length), lines[stream].Select(l => l.RowIndex));
        }
        var candidates = Enumerable.Range(0, times.Length)
            .Where(r => stamps.All(s => Enumerable.Range(0, s.Length).All(i => r + i * hop < times.Length && FloorMs(times[r + i * hop]) == s[i])))
            .ToArray();
        Assert.True(candidates.Length is >= 1 and <= 4,
            $"{label}: {candidates.Length} rows of the file's clock stamp the lines as streamed ({stamps[0][0]} ms, every {hop} rows)");

        var frames = new List<(int Column, int Row)>();
        foreach (var r0 in candidates)
            for (var stream = 0; stream < lines.Length; stream++)
                for (var i = 0; i < stamps[stream].Length; i++) frames.Add((channelMin + stream - 1, r0 + i * hop));
        var spectra = Numpy(source, nfft, bins, frames).Spectra;

        var best = (P99: double.MaxValue, Max: 0.0, Count: 0, Row: -1);
        var index = 0;
        foreach (var r0 in candidates)
        {
            var errors = new List<double>();
            for (var stream = 0; stream < lines.Length; stream++)
            {
                foreach (var line in lines[stream])
                {
                    var expected = spectra[index++];
                    Assert.True(expected.Length == line.Values.Length, $"{label}: line {line.RowIndex} of channel {channelMin + stream} at {line.TimestampMs} ms names no full frame of the file");
                    for (var k = 0; k < expected.Length; k++) errors.Add(Math.Abs(expected[k] - line.Values[k]));
                }
            }
            errors.Sort();
            var p99 = errors[(int)(0.99 * (errors.Count - 1))];
            if (p99 < best.P99) best = (p99, errors[^1], errors.Count, r0);
        }
        Assert.True(best.P99 <= 0.1, $"{label}: p99 of |line - numpy| is {best.P99:F3} dB over {best.Count} values (max {best.Max:F3}), frames from row {best.Row} of {string.Join(", ", candidates)}");
    }

    private static long FloorMs(long micros) => micros / 1000 - (micros % 1000 < 0 ? 1 : 0);

    private static (long[] Times, double[][] Spectra) Numpy(JsonObject source, int nfft, int[] bins, IReadOnlyList<(int Column, int Row)> frames)
    {
        var request = new JsonObject
        {
            ["source"] = source.DeepClone(),
            ["nfft"] = nfft,
            ["bins"] = new JsonArray([.. bins.Select(b => (JsonNode)b)]),
            ["frames"] = new JsonArray([.. frames.Select(f => (JsonNode)new JsonArray(f.Column, f.Row))]),
        };
        var answer = JsonDocument.Parse(Python.Run(SegyFiles.Script("expected_spectra.py"), [], "python3-numpy", request.ToJsonString(), timeoutSeconds: 300)).RootElement;
        return (answer.GetProperty("times_us").EnumerateArray().Select(t => t.GetInt64()).ToArray(),
            answer.GetProperty("spectra").EnumerateArray().Select(s => s.EnumerateArray().Select(v => v.GetDouble()).ToArray()).ToArray());
    }
}
