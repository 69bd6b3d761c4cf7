using Focus.Gateway.Streaming;
using Grpc.Core;

namespace Focus.UnitTests.Streaming;

/// <summary>The viewer relay's bounds: calls per job and per client, and its buffer in bytes.</summary>
public sealed class RelayLimitsTests
{
    private static readonly ViewerOptions Options = new() { RelayCallsPerJob = 2, RelayCallsPerClient = 3 };

    [Fact]
    public void Calls_beyond_the_job_cap_are_refused_naming_it_and_a_closed_call_frees_its_place()
    {
        var calls = new RelayCalls();
        var first = calls.Enter("1-1000", "10.0.0.1", Options);
        using var second = calls.Enter("1-1000", "10.0.0.2", Options);
        var refused = Assert.Throws<RpcException>(() => calls.Enter("1-1000", "10.0.0.3", Options));
        Assert.Equal(StatusCode.ResourceExhausted, refused.StatusCode);
        Assert.Contains("Focus:Viewer:RelayCallsPerJob", refused.Status.Detail);

        first.Dispose();
        first.Dispose(); // once only
        using var third = calls.Enter("1-1000", "10.0.0.3", Options);
        Assert.Equal(2, calls.Open);
    }

    [Fact]
    public void Calls_beyond_the_client_cap_are_refused_over_all_jobs_and_nothing_stays_counted()
    {
        var calls = new RelayCalls();
        var leases = Enumerable.Range(0, 3).Select(i => calls.Enter($"{i}-1000", "10.0.0.9", Options)).ToList();
        var refused = Assert.Throws<RpcException>(() => calls.Enter("9-1000", "10.0.0.9", Options));
        Assert.Contains("Focus:Viewer:RelayCallsPerClient", refused.Status.Detail);
        Assert.Contains("10.0.0.9", refused.Status.Detail);
        leases.ForEach(l => l.Dispose());
        Assert.Equal(0, calls.Open);
        using var again = calls.Enter("9-1000", "10.0.0.9", Options);
    }

    [Fact]
    public async Task The_buffer_drops_the_oldest_messages_to_stay_within_its_bytes()
    {
        var buffer = new RelayBuffer(maxMessages: 1000, maxBytes: 10 * 1024, singleWriter: true);
        for (var i = 0; i < 100; i++) buffer.Write(new byte[1024]);
        buffer.Write([42]);
        Assert.True(buffer.Bytes <= 10 * 1024, $"{buffer.Bytes} bytes held");
        Assert.Equal(91, buffer.DroppedMessages);

        buffer.Complete();
        var kept = new List<byte[]>();
        await foreach (var message in buffer.ReadAllAsync(CancellationToken.None)) kept.Add(message);
        Assert.Equal(10, kept.Count);
        Assert.Equal([42], kept[^1]);
        Assert.Equal(0, buffer.Bytes);
    }

    [Fact]
    public void The_buffer_still_drops_by_count()
    {
        var buffer = new RelayBuffer(maxMessages: 4, maxBytes: 1 << 20, singleWriter: false);
        for (var i = 0; i < 10; i++) buffer.Write([(byte)i]);
        Assert.Equal(6, buffer.DroppedMessages);
        Assert.Equal(4, buffer.Bytes);
    }
}
