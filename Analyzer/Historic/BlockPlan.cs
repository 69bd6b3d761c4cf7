namespace Focus.Analyzer.Historic;

/// <summary>
/// One block's lines, planned once for every slice of a <see cref="HistoricRun"/>: each line's frame line, time stamp
/// and row. Every block has its own, since a slice may still compute one block while the next is planned.
/// </summary>
internal sealed class BlockPlan
{
    private long[] _lines = new long[16];
    private long[] _stamps = new long[16];
    private int[] _rows = new int[16];

    /// <summary>Lines of the block.</summary>
    public int Count { get; private set; }

    /// <summary>The frame line (0-based in the window) of line <paramref name="k"/> of the block.</summary>
    public long Line(int k) => _lines[k];

    public long Stamp(int k) => _stamps[k];

    public int Row(int k) => _rows[k];

    public void Add(long line, long stamp, int row)
    {
        if (Count == _lines.Length)
        {
            Array.Resize(ref _lines, Count * 2);
            Array.Resize(ref _stamps, Count * 2);
            Array.Resize(ref _rows, Count * 2);
        }
        (_lines[Count], _stamps[Count], _rows[Count]) = (line, stamp, row);
        Count++;
    }
}
