using System.Collections.Concurrent;

namespace Focus.Analyzer.Spectral;

/// <summary>
/// Caches one immutable <see cref="FftPlan"/> per length. Thread-safe; plans are built once and
/// shared by every kernel of that length. <see cref="Shared"/> is the process-wide instance.
/// </summary>
public sealed class FftPlanCache
{
    private readonly ConcurrentDictionary<int, Lazy<FftPlan>> _plans = new();

    public static FftPlanCache Shared { get; } = new();

    public FftPlan Get(int length)
    {
        if (!FftPlan.IsValidLength(length))
            throw new ArgumentOutOfRangeException(nameof(length), length,
                $"FFT length must be a power of two between {FftPlan.MinLength} and {FftPlan.MaxLength}.");
        return _plans.GetOrAdd(length, static n => new Lazy<FftPlan>(() => new FftPlan(n))).Value;
    }

    public int Count => _plans.Count;
}
