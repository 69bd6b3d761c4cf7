using System.Collections;

namespace Focus.Grains.Jobs;

/// <summary>
/// <c>frequencies_list</c> as a view: bin <c>FirstBin + i</c> at <c>(FirstBin + i) * prr / nfft</c>, computed when read
/// (serialised straight into a response), so that an nfft-65536 job's 32,769 doubles are never an array on the
/// large-object heap of every /configure and /metadata.
/// </summary>
public sealed class FrequencyList(int firstBin, int count, double prr, int nfft) : IReadOnlyList<double>
{
    public int Count => count;

    public double this[int index] => (uint)index < (uint)count
        ? Frequency(index)
        : throw new ArgumentOutOfRangeException(nameof(index), index, $"the list holds {count} frequencies");

    public IEnumerator<double> GetEnumerator()
    {
        for (var i = 0; i < count; i++) yield return Frequency(i);
    }

    private double Frequency(int index) => (firstBin + index) * prr / nfft; // the derivation's own expression, so the same doubles

    IEnumerator IEnumerable.GetEnumerator() => GetEnumerator();
}
