using System.Net;
using System.Net.Sockets;
using System.Runtime.InteropServices;
using Focus.Analyzer.Pipeline;
using Focus.Analyzer.Streaming.Protos;
using Grpc.Core;
using Grpc.Reflection.V1Alpha;
using static Focus.IntegrationTests.Streaming.StreamingHarness;

namespace Focus.IntegrationTests.Streaming;

/// <summary>CONTRACT §2 on real sockets: a live job's gRPC stream from a wall-clock test source.</summary>
public sealed class LiveStreamingTests
{
    private const int ToneChannel = 2;
    private const int ToneHz = 128; // bin 16 of a 256-point FFT at 2048 Hz

    internal static ToneLiveSource NewSource(int channels = 8, int blockSamples = 128) =>
        new(Prr, channels, blockSamples, backlog: Prr, new Dictionary<int, int> { [ToneChannel] = ToneHz });

    [Fact]
    public async Task Multichannel_lines_arrive_with_shapes_rows_timestamps_and_the_tone_peak()
    {
        await using var harness = new StreamingHarness(NewSource());
        var spec = Spectrogram(1, 3);
        var job = await harness.StartAsync(spec);
        using var call = harness.Client(job.Port).StreamData(new StreamDataRequest { StreamId = 1 });

        var rows = new List<int>();
        for (var m = 0; m < 6; m++)
        {
            var message = await NextAsync(call);
            Assert.Equal(ToneChannel, message.StartChannel);
            Assert.Equal(ToneChannel, message.EndChannel);
            Assert.Equal(129, message.DataShapeX);
            Assert.True(message.DataShapeY >= 1);
            Assert.Equal(message.DataShapeY, message.RowIndex.Count);
            Assert.Equal(message.DataShapeY, message.TimestampInMilis.Count);
            Assert.Equal(message.DataShapeY, message.MainData.Count);
            Assert.False(message.HasDataShapeZ);
            Assert.Equal(17, message.JobId);
            var all = new List<float>();
            for (var i = 0; i < message.DataShapeY; i++)
            {
                Assert.Equal(129 * sizeof(float), message.MainData[i].Length);
                var values = MemoryMarshal.Cast<byte, float>(message.MainData[i].Span).ToArray();
                all.AddRange(values);
                Assert.Equal(16, Array.IndexOf(values, values.Max())); // the tone's bin
                long row = message.RowIndex[i];
                Assert.Equal((spec.StartSampleIndex + row * spec.Hop) * 1000 / Prr, message.TimestampInMilis[i]);
                rows.Add(message.RowIndex[i]);
            }
            Assert.Equal(all.Max(), message.GlobalMaximum);
            Assert.Equal(all.Min(), message.GlobalMinimum);
        }

        for (var i = 1; i < rows.Count; i++) Assert.Equal(rows[i - 1] + 1, rows[i]);
        var progress = job.Progress;
        Assert.Equal(1, progress.ConnectedClients);
        Assert.True(progress.LinesEmitted >= rows.Count);
        Assert.NotNull(progress.FirstLineAt);
        Assert.Null(progress.Fault);
    }

    [Fact]
    public async Task Consecutive_timestamps_are_hop_over_prr_apart()
    {
        await using var harness = new StreamingHarness(NewSource());
        var spec = Spectrogram(1, 1);
        var job = await harness.StartAsync(spec);
        using var call = harness.Client(job.Port).StreamData(new StreamDataRequest { StreamId = 0 });

        var stamps = new List<long>();
        while (stamps.Count < 20) stamps.AddRange((await NextAsync(call)).TimestampInMilis);
        var dt = spec.Hop * 1000.0 / Prr; // 31.25 ms, floored per line
        for (var i = 1; i < stamps.Count; i++)
            Assert.InRange(stamps[i] - stamps[i - 1], Math.Floor(dt), Math.Ceiling(dt));
        Assert.InRange(stamps[^1] - stamps[0], Math.Floor(dt * (stamps.Count - 1)) - 1, Math.Ceiling(dt * (stamps.Count - 1)) + 1);
    }

    [Fact]
    public async Task Singlechannel_keeps_the_requested_bins_and_the_tone_peaks_at_its_bin()
    {
        await using var harness = new StreamingHarness(NewSource());
        var job = await harness.StartAsync(Spectrogram(ToneChannel, ToneChannel, firstBin: 8, binCount: 20, jobId: "job-a", numericJobId: null));
        using var call = harness.Client(job.Port).StreamData(new StreamDataRequest { StreamId = 0 });

        var message = await NextAsync(call);
        Assert.Equal(ToneChannel, message.StartChannel);
        Assert.Equal(ToneChannel, message.EndChannel);
        Assert.Equal(20, message.DataShapeX);
        Assert.False(message.HasJobId);
        var values = MemoryMarshal.Cast<byte, float>(message.MainData[0].Span).ToArray();
        Assert.Equal(20, values.Length);
        Assert.Equal(16 - 8, Array.IndexOf(values, values.Max()));
        var leakage = values.Where((_, k) => Math.Abs(k - 8) > 1).Max(); // the Hann main lobe spans +-1 bin
        Assert.True(values.Max() > leakage + 20, $"the tone ({values.Max()} dB) stands out of the rest ({leakage} dB) by more than 20 dB");
    }

    [Fact]
    public async Task Waterfall_is_one_stream_with_a_value_per_channel()
    {
        await using var harness = new StreamingHarness(NewSource());
        var job = await harness.StartAsync(Waterfall(3, 7, hop: 32));
        using var call = harness.Client(job.Port).StreamData(new StreamDataRequest { StreamId = 0 });

        var message = await NextAsync(call);
        Assert.Equal(3, message.StartChannel);
        Assert.Equal(7, message.EndChannel);
        Assert.Equal(5, message.DataShapeX);
        Assert.True(message.DataShapeY >= 1);
        var values = MemoryMarshal.Cast<byte, float>(message.MainData[0].Span).ToArray();
        for (var c = 0; c < 5; c++) // constant 0.001*channel: mean power (0.001*ch)^2
            Assert.Equal(10 * Math.Log10(Math.Pow(0.001 * (3 + c), 2) + 1e-12), values[c], 3);
        await Assert.ThrowsAsync<RpcException>(async () =>
        {
            using var wrong = harness.Client(job.Port).StreamData(new StreamDataRequest { StreamId = 1 });
            await NextAsync(wrong);
        });
    }

    [Fact]
    public async Task Two_readers_of_one_stream_get_the_same_rows()
    {
        await using var harness = new StreamingHarness(NewSource());
        var job = await harness.StartAsync(Spectrogram(1, 3));
        var client = harness.Client(job.Port);
        using var first = client.StreamData(new StreamDataRequest { StreamId = 2 });
        using var second = client.StreamData(new StreamDataRequest { StreamId = 2 });

        var a = new Dictionary<int, byte[]>();
        var b = new Dictionary<int, byte[]>();
        while (a.Count < 12) Collect(await NextAsync(first), a);
        while (b.Count < 12) Collect(await NextAsync(second), b);
        while (a.Keys.Max() < b.Keys.Max()) Collect(await NextAsync(first), a);

        var common = a.Keys.Intersect(b.Keys).ToList();
        Assert.True(common.Count >= 8, $"only {common.Count} rows in common");
        foreach (var row in common) Assert.Equal(a[row], b[row]);
        Assert.Equal(2, job.Progress.ConnectedClients);

        static void Collect(DataStream message, Dictionary<int, byte[]> into)
        {
            for (var i = 0; i < message.DataShapeY; i++) into[message.RowIndex[i]] = message.MainData[i].ToByteArray();
        }
    }

    [Fact]
    public async Task A_stalled_reader_loses_its_oldest_lines_without_slowing_another()
    {
        // 512 channels of waterfall: ~16 KB a message, so a client that does not read fills its
        // HTTP/2 window and its 4-message buffer within a second or so.
        var source = new ToneLiveSource(Prr, 512, 128, Prr);
        await using var harness = new StreamingHarness(source, readerBufferMessages: 4);
        var job = await harness.StartAsync(Waterfall(1, 512, hop: 16));
        var client = harness.Client(job.Port);
        using var stalled = client.StreamData(new StreamDataRequest { StreamId = 0 });
        await stalled.ResponseHeadersAsync.WaitAsync(Deadline);
        using var active = client.StreamData(new StreamDataRequest { StreamId = 0 });
        using var stopActive = new CancellationTokenSource();
        var activeRows = new List<int>();
        var activeRun = Task.Run(async () =>
        {
            while (!stopActive.IsCancellationRequested && await active.ResponseStream.MoveNext(CancellationToken.None))
                lock (activeRows) activeRows.AddRange(active.ResponseStream.Current.RowIndex);
        });

        await EventuallyAsync(() => job.Progress.DroppedLines > 0, "the stalled reader to drop lines");
        int seenWhenDropping;
        lock (activeRows) seenWhenDropping = activeRows.Count;
        await EventuallyAsync(() => { lock (activeRows) return activeRows.Count > seenWhenDropping + 40; },
            "the active reader to keep receiving");
        stopActive.Cancel();
        await activeRun.WaitAsync(Deadline);

        // In order and never repeated. Not necessarily contiguous: on a loaded machine the pipeline may skip to live data,
        // or this reader's own small buffer may overflow during a pause of its task, and either is a jump every
        // reader may see; what the stalled reader must not do is hold this one back, which the count above shows.
        lock (activeRows)
            for (var i = 1; i < activeRows.Count; i++)
                Assert.True(activeRows[i] > activeRows[i - 1], $"row {activeRows[i]} after row {activeRows[i - 1]}");

        var jumped = false;
        var previous = -1;
        for (var m = 0; m < 200 && !jumped; m++)
        {
            foreach (var row in (await NextAsync(stalled)).RowIndex)
            {
                jumped |= previous >= 0 && row > previous + 1;
                previous = row;
            }
        }
        Assert.True(jumped, "the stalled reader should see a jump in row_index");
    }

    [Fact]
    public async Task An_unknown_stream_id_is_invalid_argument_naming_the_range()
    {
        await using var harness = new StreamingHarness(NewSource());
        var job = await harness.StartAsync(Spectrogram(1, 3));
        using var call = harness.Client(job.Port).StreamData(new StreamDataRequest { StreamId = 3 });

        var error = await Assert.ThrowsAsync<RpcException>(() => ReadToEndAsync(call).WaitAsync(Deadline));
        Assert.Equal(StatusCode.InvalidArgument, error.StatusCode);
        Assert.Contains("0 and 2", error.Status.Detail);
    }

    [Fact]
    public async Task A_job_nobody_reads_reads_no_input_and_computes_nothing()
    {
        var source = NewSource();
        await using var harness = new StreamingHarness(source);
        var idle = await harness.StartAsync(Spectrogram(1, 2, jobId: "idle"));
        var watched = new StreamingHarness(NewSource());
        await using (watched)
        {
            var busy = await watched.StartAsync(Spectrogram(1, 1, jobId: "busy"));
            using var busyCall = watched.Client(busy.Port).StreamData(new StreamDataRequest { StreamId = 0 });
            var lines = 0;
            while (lines < 16) lines += (await NextAsync(busyCall)).DataShapeY; // half a second of lines elsewhere

            Assert.Equal(0, harness.Engine.Calls);
            Assert.Equal(0, source.Opened);
            Assert.Equal(0, idle.Progress.LinesEmitted);

            using (var call = harness.Client(idle.Port).StreamData(new StreamDataRequest { StreamId = 0 }))
            {
                await NextAsync(call);
                Assert.True(harness.Engine.Calls > 0);
                Assert.Equal(1, source.OpenReaders);
            }
            await EventuallyAsync(() => source.OpenReaders == 0, "the idle job to release its input");
            var calls = harness.Engine.Calls;
            lines = 0;
            while (lines < 16) lines += (await NextAsync(busyCall)).DataShapeY;
            Assert.Equal(calls, harness.Engine.Calls);
            Assert.Equal(0, idle.Progress.ConnectedClients);
        }
    }

    [Fact]
    public async Task A_returning_reader_continues_row_index_by_time()
    {
        var source = NewSource();
        await using var harness = new StreamingHarness(source);
        var job = await harness.StartAsync(Spectrogram(1, 1));
        var client = harness.Client(job.Port);
        int lastRow;
        using (var call = client.StreamData(new StreamDataRequest { StreamId = 0 }))
            lastRow = (await NextAsync(call)).RowIndex[^1];
        await EventuallyAsync(() => source.OpenReaders == 0, "the input to be released");

        using var again = client.StreamData(new StreamDataRequest { StreamId = 0 });
        var message = await NextAsync(again);
        Assert.True(message.RowIndex[0] > lastRow, $"row {message.RowIndex[0]} after {lastRow}");
        var expected = (source.NowSampleIndex() - job.Spec.StartSampleIndex - job.Spec.Nfft) / job.Spec.Hop;
        Assert.InRange(message.RowIndex[0], expected - 40, expected + 1); // the newest line, not a replay
    }

    [Fact]
    public async Task A_gap_in_the_input_is_counted_and_seen_as_a_row_jump()
    {
        var source = NewSource();
        await using var harness = new StreamingHarness(source);
        var job = await harness.StartAsync(Spectrogram(1, 1));
        using var call = harness.Client(job.Port).StreamData(new StreamDataRequest { StreamId = 0 });
        var previous = (await NextAsync(call)).RowIndex[^1];

        source.InjectGap(Prr / 4); // 8 lines missing
        var jump = 0;
        for (var m = 0; m < 50 && jump <= 1; m++)
            foreach (var row in (await NextAsync(call)).RowIndex)
            {
                jump = Math.Max(jump, row - previous);
                previous = row;
            }
        Assert.True(jump >= 8, $"largest row step {jump}");
        Assert.Equal(1, job.Progress.Gaps);
    }

    [Fact]
    public async Task A_job_that_falls_behind_live_skips_to_the_newest_data()
    {
        var source = NewSource();
        await using var harness = new StreamingHarness(source);
        var job = await harness.StartAsync(Spectrogram(1, 1));
        using var call = harness.Client(job.Port).StreamData(new StreamDataRequest { StreamId = 0 });
        var previous = (await NextAsync(call)).RowIndex[^1];
        Assert.Equal(1, source.Opened);

        source.StallOnce(TimeSpan.FromSeconds(3)); // 3 s behind: more than a frame, a hop and 2 s
        var jump = 0;
        long newestAge = long.MaxValue;
        for (var m = 0; m < 200 && (jump <= 1 || newestAge > 1000); m++)
        {
            var message = await NextAsync(call);
            foreach (var row in message.RowIndex)
            {
                jump = Math.Max(jump, row - previous);
                previous = row;
            }
            newestAge = DateTimeOffset.UtcNow.ToUnixTimeMilliseconds() - message.TimestampInMilis[^1];
        }
        Assert.True(source.Opened >= 2, "the pipeline reopened its input at the newest data");
        Assert.True(jump > 1, $"readers see the skip as a row jump (largest step {jump})");
        Assert.InRange(newestAge, 0, 1000);
    }

    [Fact]
    public async Task Reflection_lists_the_data_stream_service()
    {
        await using var harness = new StreamingHarness(NewSource());
        var job = await harness.StartAsync(Spectrogram(1, 1));
        var reflection = new ServerReflection.ServerReflectionClient(harness.Channel(job.Port));
        using var call = reflection.ServerReflectionInfo();
        await call.RequestStream.WriteAsync(new ServerReflectionRequest { ListServices = "" }).WaitAsync(Deadline);
        await call.RequestStream.CompleteAsync().WaitAsync(Deadline);
        Assert.True(await call.ResponseStream.MoveNext(CancellationToken.None).WaitAsync(Deadline));
        var services = call.ResponseStream.Current.ListServicesResponse.Service.Select(s => s.Name).ToList();
        Assert.Contains("pandadatastream.DataStreamService", services);
    }
}
