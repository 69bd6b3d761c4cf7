namespace Focus.Analyzer.Streaming;

/// <summary>Log scope of everything a job's data plane logs: <c>JobId</c>.</summary>
internal sealed class JobLogScope(string jobId) : IReadOnlyList<KeyValuePair<string, object>>
{
    public KeyValuePair<string, object> this[int index] =>
        index == 0 ? new("JobId", jobId) : throw new ArgumentOutOfRangeException(nameof(index));

    public int Count => 1;

    public IEnumerator<KeyValuePair<string, object>> GetEnumerator()
    {
        yield return this[0];
    }

    System.Collections.IEnumerator System.Collections.IEnumerable.GetEnumerator() => GetEnumerator();

    public override string ToString() => $"JobId:{jobId}";
}
