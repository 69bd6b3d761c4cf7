using System.Net;
using System.Net.Sockets;
using Focus.Analyzer.Pipeline;
using Focus.Analyzer.Streaming.Protos;
using Grpc.Core;
using static Focus.IntegrationTests.Streaming.StreamingHarness;
using static Focus.IntegrationTests.Streaming.LiveStreamingTests;

namespace Focus.IntegrationTests.Streaming;

/// <summary>CONTRACT §2 on real sockets: how a live job's streams and port end (cancel, stop, failure, a port taken).</summary>
public sealed class LiveStreamEndTests
{
    [Fact]
    public async Task Each_port_serves_its_own_job_and_stopping_one_leaves_the_other_serving()
    {
        // The jobs' servers share one gRPC pipeline: a call must reach the job whose port it called.
        await using var harness = new StreamingHarness(NewSource());
        var narrow = await harness.StartAsync(Spectrogram(1, 2, jobId: "narrow"));
        var wide = await harness.StartAsync(Spectrogram(1, 5, jobId: "wide"));

        using var onWide = harness.Client(wide.Port).StreamData(new StreamDataRequest { StreamId = 4 });
        await NextAsync(onWide); // stream 4 exists only in the wide job
        using var onNarrow = harness.Client(narrow.Port).StreamData(new StreamDataRequest { StreamId = 4 });
        var error = await Assert.ThrowsAsync<RpcException>(() => ReadToEndAsync(onNarrow).WaitAsync(Deadline));
        Assert.Equal(StatusCode.InvalidArgument, error.StatusCode);
        Assert.Contains("0 and 1", error.Status.Detail);

        await narrow.StopAsync(JobEnd.Cancelled).WaitAsync(Deadline);
        Assert.True(PortIsFree(narrow.Port), "the stopped job's port should be free");
        await NextAsync(onWide);
        using var again = harness.Client(wide.Port).StreamData(new StreamDataRequest { StreamId = 0 });
        await NextAsync(again);
        Assert.Equal(1, harness.Host.RunningJobs);
    }

    [Fact]
    public async Task Cancel_ends_readers_with_cancelled_within_2s_and_frees_the_port()
    {
        var source = NewSource();
        await using var harness = new StreamingHarness(source);
        var job = await harness.StartAsync(Spectrogram(1, 2));
        using var call = harness.Client(job.Port).StreamData(new StreamDataRequest { StreamId = 0 });
        await NextAsync(call);

        var stopwatch = System.Diagnostics.Stopwatch.StartNew();
        var stopped = job.StopAsync(JobEnd.Cancelled);
        var error = await Assert.ThrowsAsync<RpcException>(() => ReadToEndAsync(call).WaitAsync(Deadline));
        Assert.Equal(StatusCode.Cancelled, error.StatusCode);
        await stopped.WaitAsync(Deadline);
        Assert.True(stopwatch.Elapsed < TimeSpan.FromSeconds(2), $"stop took {stopwatch.Elapsed}");

        Assert.True(PortIsFree(job.Port), "the port should be free after stop");
        Assert.Equal(0, harness.Host.RunningJobs);
        Assert.Equal(0, source.OpenReaders);
        await job.StopAsync(JobEnd.Cancelled).WaitAsync(Deadline); // idempotent
    }

    [Fact]
    public async Task Stop_frees_the_port_within_2s_even_with_a_reader_that_never_reads()
    {
        var source = new ToneLiveSource(Prr, 512, 128, Prr);
        await using var harness = new StreamingHarness(source, readerBufferMessages: 4);
        var job = await harness.StartAsync(Waterfall(1, 512, hop: 16));
        using var stalled = harness.Client(job.Port).StreamData(new StreamDataRequest { StreamId = 0 });
        await stalled.ResponseHeadersAsync.WaitAsync(Deadline);
        await EventuallyAsync(() => job.Progress.DroppedLines > 0, "the reader's buffer to overflow");

        var stopwatch = System.Diagnostics.Stopwatch.StartNew();
        await job.StopAsync(JobEnd.Cancelled).WaitAsync(Deadline);
        Assert.True(stopwatch.Elapsed < TimeSpan.FromSeconds(2), $"stop took {stopwatch.Elapsed}");
        Assert.True(PortIsFree(job.Port), "the port should be free after stop");
        Assert.Equal(0, source.OpenReaders);
    }

    [Fact]
    public async Task Failed_ends_readers_with_aborted_and_the_reason()
    {
        await using var harness = new StreamingHarness(NewSource());
        var job = await harness.StartAsync(Spectrogram(1, 2));
        using var call = harness.Client(job.Port).StreamData(new StreamDataRequest { StreamId = 1 });
        await NextAsync(call);

        var stopped = job.StopAsync(new JobEnd(JobEndKind.Failed, "recorder lost"));
        var error = await Assert.ThrowsAsync<RpcException>(() => ReadToEndAsync(call).WaitAsync(Deadline));
        Assert.Equal(StatusCode.Aborted, error.StatusCode);
        Assert.Equal("recorder lost", error.Status.Detail);
        await stopped.WaitAsync(Deadline);
    }

    [Fact]
    public async Task A_pipeline_fault_ends_the_streams_aborted_and_is_reported()
    {
        var source = NewSource();
        await using var harness = new StreamingHarness(source);
        var job = await harness.StartAsync(Spectrogram(1, 2));
        using var call = harness.Client(job.Port).StreamData(new StreamDataRequest { StreamId = 0 });
        await NextAsync(call);

        source.FailWith = new IOException("input broke");
        var error = await Assert.ThrowsAsync<RpcException>(() => ReadToEndAsync(call).WaitAsync(Deadline));
        Assert.Equal(StatusCode.Aborted, error.StatusCode);
        Assert.Contains("input broke", error.Status.Detail);
        Assert.Equal("input broke", job.Progress.Fault);

        using var late = harness.Client(job.Port).StreamData(new StreamDataRequest { StreamId = 0 });
        var refused = await Assert.ThrowsAsync<RpcException>(() => ReadToEndAsync(late).WaitAsync(Deadline));
        Assert.True(refused.StatusCode == StatusCode.Aborted, refused.ToString());
        await job.StopAsync(new JobEnd(JobEndKind.Failed, "input broke")).WaitAsync(Deadline);
        Assert.Equal(0, harness.Host.RunningJobs);
    }

    [Fact]
    public async Task A_port_held_by_another_socket_is_unavailable_and_nothing_keeps_running()
    {
        var source = NewSource();
        await using var harness = new StreamingHarness(source);
        var holder = new TcpListener(IPAddress.Loopback, 0);
        holder.Start();
        var port = ((IPEndPoint)holder.LocalEndpoint).Port;
        try
        {
            var error = await Assert.ThrowsAsync<StreamPortUnavailableException>(() => harness.StartAsync(Spectrogram(1, 2), port));
            Assert.Equal(port, error.Port);
            Assert.Equal(0, harness.Host.RunningJobs);
            Assert.Equal(0, source.Opened);
        }
        finally
        {
            holder.Stop();
        }

        var job = await harness.StartAsync(Spectrogram(1, 2), port); // nothing of the failed start holds it
        await job.StopAsync(JobEnd.Cancelled).WaitAsync(Deadline);
        Assert.True(PortIsFree(port));
    }
}
