namespace Focus.Analyzer.Sources.Simulated;

/// <summary>
/// One reader of a <see cref="SimulatedLiveSource"/>: consecutive blocks of its channels, each returned once the
/// clock has passed its last sample. One buffer is reused, so a block is valid until the next ReadAsync call.
/// Not for concurrent ReadAsync calls; DisposeAsync may come from any thread and ends a pending read with null.
/// </summary>
internal sealed class SimulatedLiveReader(
    SimulatedLiveSource source, TimeProvider clock, int firstChannel, int channelCount, long fromSampleIndex) : ILiveReader
{
    // Task.Delay takes at most ~49 days; a start far in the future is waited for in steps.
    static readonly TimeSpan LongestDelay = TimeSpan.FromHours(1);

    readonly float[] buffer = new float[source.ChunkSamples * channelCount];
    readonly CancellationTokenSource disposed = new();
    long next = fromSampleIndex;

    public async ValueTask<SampleBlock?> ReadAsync(CancellationToken cancellationToken)
    {
        if (disposed.IsCancellationRequested) return null;
        next = Math.Max(next, source.OldestSampleIndex());
        int count = source.ChunkSamples;
        var due = source.SampleClock.TimeOf(next + count - 1);

        if (clock.GetUtcNow() < due) // else: ready now, and the ValueTask completes synchronously
        {
            using var stop = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, disposed.Token);
            try
            {
                for (var now = clock.GetUtcNow(); now < due; now = clock.GetUtcNow())
                {
                    // Whole milliseconds, rounded up: a timer rounds down, and a 0 ms delay would spin.
                    var wait = TimeSpan.FromMilliseconds(Math.Ceiling((due - now).TotalMilliseconds));
                    // Not tied to the caller's context: the data plane reads on its own threads.
                    await Task.Delay(wait < LongestDelay ? wait : LongestDelay, clock, stop.Token).ConfigureAwait(false);
                }
            }
            catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
            {
                return null; // disposed while waiting: the reader has ended
            }
        }

        source.Fiber.Fill(firstChannel, channelCount, next, count, buffer);
        var block = new SampleBlock(next, firstChannel, channelCount, count, buffer);
        next += count;
        return block;
    }

    public ValueTask DisposeAsync()
    {
        disposed.Cancel();
        return ValueTask.CompletedTask;
    }
}
