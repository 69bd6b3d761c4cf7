namespace Focus.Analyzer.Pipeline;

/// <summary>
/// Caps how many pipelines compute at once (one per core by default). Pipelines run on the shared
/// thread pool between awaits; without a cap, jobs that are behind never yield their threads and
/// starve Kestrel, the gateway and Orleans' own turns. Waiting here is asynchronous, so a job
/// waiting for its turn holds no thread.
/// </summary>
public sealed class ComputeGate(int concurrency) : IDisposable
{
    private readonly SemaphoreSlim _slots = new(Math.Max(1, concurrency), Math.Max(1, concurrency));
    private int _waiting;

    public ComputeGate() : this(Environment.ProcessorCount) { }

    public int Concurrency { get; } = Math.Max(1, concurrency);

    /// <summary>Pipelines waiting for a slot now (every slot is taken).</summary>
    public int Waiting => Volatile.Read(ref _waiting);

    /// <summary>Waits for a slot; dispose the result to give it back.</summary>
    public async ValueTask<Slot> EnterAsync(CancellationToken cancellationToken)
    {
        if (_slots.Wait(0)) return new Slot(_slots);
        Interlocked.Increment(ref _waiting);
        try
        {
            await _slots.WaitAsync(cancellationToken);
        }
        finally
        {
            Interlocked.Decrement(ref _waiting);
        }
        return new Slot(_slots);
    }

    public void Dispose() => _slots.Dispose();

    public readonly struct Slot(SemaphoreSlim slots) : IDisposable
    {
        public void Dispose() => slots.Release();
    }
}
