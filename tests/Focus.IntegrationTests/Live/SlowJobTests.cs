using Focus.Analyzer.Sources;
using Focus.Analyzer.Sources.RabbitMq;

namespace Focus.IntegrationTests.Live;

/// <summary>A job whose pipeline cannot keep up: its queue stays bounded and drops its head; others are unaffected.</summary>
[Collection(LiveCollection.Name)]
public sealed class SlowJobTests(LiveService service)
{
    [Fact]
    public async Task A_slow_readers_queue_stays_under_its_byte_cap_counts_its_drops_and_a_fast_job_on_the_same_block_loses_nothing()
    {
        var source = service.Get<RabbitMqLiveSource>();
        var suffix = Guid.NewGuid().ToString("N")[..6];
        await using var slow = await source.AttachAsync($"slow-{suffix}", 1, 10, CancellationToken.None);
        await using var fast = await source.AttachAsync($"fast-{suffix}", 5, 12, CancellationToken.None);
        var slowInput = source.Inputs.Single(i => i.JobId == $"slow-{suffix}");
        var fastInput = source.Inputs.Single(i => i.JobId == $"fast-{suffix}");

        // The slow job reads a block a second (a tenth of real time), then catches up: the chunks its queue dropped
        // meanwhile show as a jump in its blocks' sequences once it reads them. The slow phase lasts at least 6 s and
        // until rabbitmqctl (seconds per call on a loaded machine) has seen the queue holding data twice.
        using var stop = new CancellationTokenSource();
        using var slowPhase = new CancellationTokenSource();
        var fastBlocks = ReadAll(fast.Open(0), _ => TimeSpan.Zero, stop.Token);
        var slowBlocks = ReadAll(slow.Open(0), _ => slowPhase.IsCancellationRequested ? TimeSpan.Zero : TimeSpan.FromSeconds(1), stop.Token);
        long maxQueueBytes = 0;
        var seenHolding = 0;
        var minimum = DateTime.UtcNow + TimeSpan.FromSeconds(6);
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(60);
        while (DateTime.UtcNow < deadline && (DateTime.UtcNow < minimum || seenHolding < 2))
        {
            var queues = await TestBroker.Queues("message_bytes_ready"); // x-max-length-bytes caps the ready messages
            if (queues.TryGetValue(slow.Queue!, out var bytes) && long.Parse(bytes[0]) is var held and > 0)
            {
                seenHolding++;
                maxQueueBytes = Math.Max(maxQueueBytes, held);
            }
            await Task.Delay(500);
        }
        slowPhase.Cancel();
        await Task.Delay(TimeSpan.FromSeconds(3)); // the slow job catches up
        stop.Cancel();
        var fastStarts = await fastBlocks;
        var slowStarts = await slowBlocks;

        Assert.True(maxQueueBytes > 0 && maxQueueBytes <= LiveService.MaxQueueBytes, $"the slow queue peaked at {maxQueueBytes} bytes (cap {LiveService.MaxQueueBytes})");
        Assert.True(slowInput.Dropped > 0, $"the slow job's dropped chunks are counted (it read {slowStarts.Count} blocks)");
        Assert.Contains(slowStarts.Zip(slowStarts.Skip(1)), p => p.Second - p.First > 200); // the drop is a jump in time
        Assert.Equal(0, fastInput.Dropped);
        Assert.Equal(0, fastInput.Holes);
        Assert.True(fastStarts.Count > 50, $"the fast job read {fastStarts.Count} blocks");
        for (var i = 1; i < fastStarts.Count; i++) Assert.Equal(fastStarts[i - 1] + 200, fastStarts[i]); // contiguous 100 ms blocks

        using var metrics = await service.Http.GetAsync("metrics");
        var text = await metrics.Content.ReadAsStringAsync();
        var dropped = text.Split('\n').Single(l => l.StartsWith("focus_queue_dropped_total", StringComparison.Ordinal));
        Assert.True(double.Parse(dropped.Split(' ')[^1], System.Globalization.CultureInfo.InvariantCulture) > 0, dropped);
    }

    private static async Task<List<long>> ReadAll(ILiveReader reader, Func<int, TimeSpan> pause, CancellationToken cancellationToken)
    {
        var starts = new List<long>();
        await using (reader)
        {
            try
            {
                while (await reader.ReadAsync(cancellationToken) is { } block)
                {
                    starts.Add(block.FirstSampleIndex);
                    if (pause(starts.Count) is { Ticks: > 0 } wait) await Task.Delay(wait, cancellationToken);
                }
            }
            catch (OperationCanceledException)
            {
            }
        }
        return starts;
    }
}
