namespace Focus.Analyzer.Pipeline;

/// <summary>
/// Caps how many pipelines compute at once (one per core by default). Pipelines run on the shared
/// thread pool between awaits; without a cap, jobs that are behind never yield their threads and
/// starve Kestrel, the gateway and Orleans' own turns. Waiting here is asynchronous, so a job
/// waiting for its turn holds no thread.
/// <para>
/// A heavy pipeline (one no core computes in real time: its block holds a slot for seconds) first takes one of
/// <c>Concurrency − 1</c> heavy places, so that heavy jobs never hold every slot and one is always left to the jobs
/// that can keep real time (issue 13: two of the largest admitted jobs held both slots of a 2-core silo and a
/// 100-lines/s job beside them lost 29% of its lines).
/// </para>
/// </summary>
public sealed class ComputeGate(int concurrency) : IDisposable
{
    /// <summary>
    /// What one core computes in real time through the FFT, in channel-samples per second (~2e8 for the SIMD engine,
    /// docs/PERFORMANCE.md): a pipeline needing more cannot keep real time on its slot, and is heavy.
    /// </summary>
    public const double CoreFftSamplesPerSecond = 2e8;

    private readonly SemaphoreSlim _slots = new(Math.Max(1, concurrency), Math.Max(1, concurrency));
    private readonly SemaphoreSlim _heavy = new(Math.Max(1, concurrency - 1), Math.Max(1, concurrency - 1));
    private int _waiting;

    public ComputeGate() : this(Environment.ProcessorCount) { }

    public int Concurrency { get; } = Math.Max(1, concurrency);

    /// <summary>Pipelines waiting for a slot now (every slot is taken).</summary>
    public int Waiting => Volatile.Read(ref _waiting);

    public static bool IsHeavy(double fftSamplesPerSecond) => fftSamplesPerSecond > CoreFftSamplesPerSecond;

    /// <summary>Waits for a slot (a heavy pipeline first for a heavy place); dispose the result to give it back.</summary>
    public async ValueTask<Slot> EnterAsync(CancellationToken cancellationToken, bool heavy = false)
    {
        // With one core there is no slot to keep aside: a heavy pipeline takes its turn like any other.
        var heavyPlace = heavy && Concurrency > 1 ? _heavy : null;
        if (heavyPlace is not null) await heavyPlace.WaitAsync(cancellationToken);
        try
        {
            if (_slots.Wait(0)) return new Slot(_slots, heavyPlace);
            Interlocked.Increment(ref _waiting);
            try
            {
                await _slots.WaitAsync(cancellationToken);
            }
            finally
            {
                Interlocked.Decrement(ref _waiting);
            }
            return new Slot(_slots, heavyPlace);
        }
        catch
        {
            heavyPlace?.Release();
            throw;
        }
    }

    public void Dispose()
    {
        _slots.Dispose();
        _heavy.Dispose();
    }

    public readonly struct Slot(SemaphoreSlim slots, SemaphoreSlim? heavyPlace) : IDisposable
    {
        public void Dispose()
        {
            slots.Release();
            heavyPlace?.Release();
        }
    }
}
