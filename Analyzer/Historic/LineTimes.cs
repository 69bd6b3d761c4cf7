namespace Focus.Analyzer.Historic;

/// <summary>
/// The recorded time of each line's first sample (CONTRACT §2: <c>timestamp_in_milis</c> is the frame's first-sample
/// time floored to the ms), taken from the file's own <c>RawDataTime</c> as blocks arrive, while frames are stitched
/// on the epoch sample grid. A line's time is noted from the first block that holds its first sample (samples two
/// files both hold are read once, from the first) and taken when its frame is computed; lines a hole skipped are
/// dropped on the way. Times never go back (a later file whose clock is behind the previous one's is stamped no
/// earlier than the line before it), so a stream stays in time order. Holds one entry per line start in the frame
/// and block being assembled.
/// </summary>
internal sealed class LineTimes(long firstSample, int hop, long lineCount)
{
    private readonly Queue<(long Line, long Ms)> _pending = new();
    private long _lastNoted = -1;
    private long _lastMs = long.MinValue;

    /// <summary>Notes the times of the lines that start in a block of <paramref name="micros"/>.Length rows from grid sample <paramref name="blockFirstSample"/>.</summary>
    public void Note(long blockFirstSample, ReadOnlySpan<long> micros)
    {
        var offset = blockFirstSample - firstSample;
        var line = Math.Max(_lastNoted + 1, offset <= 0 ? 0 : (offset + hop - 1) / hop);
        for (; line < lineCount; line++)
        {
            var row = firstSample + line * hop - blockFirstSample;
            if (row >= micros.Length) break;
            _lastMs = Math.Max(_lastMs, FloorMs(micros[(int)row]));
            _pending.Enqueue((line, _lastMs));
            _lastNoted = line;
        }
    }

    /// <summary>The time of <paramref name="line"/>'s first sample in epoch ms, or null when no block noted it.</summary>
    public long? Take(long line)
    {
        while (_pending.TryPeek(out var next) && next.Line < line) _pending.Dequeue();
        if (!_pending.TryPeek(out var noted) || noted.Line != line) return null;
        _pending.Dequeue();
        return noted.Ms;
    }

    private static long FloorMs(long micros) => micros / 1000 - (micros % 1000 < 0 ? 1 : 0);
}
