using Focus.Grains.Fiber;

namespace Focus.Grains.Recordings;

/// <summary>
/// The fiber a historic job is validated and derived against (CONTRACT §1): made from the recordings that overlap
/// its window. They normally share one prr; when they do not, the prr recorded longest in the window wins and
/// the others are left out (holes). The channel count is the smallest among those kept.
/// </summary>
public static class RecordingsFiber
{
    public static (FiberMetadata Fiber, IReadOnlyList<RecordingInfo> Playable) From(
        IReadOnlyList<RecordingInfo> recordings, DateTimeOffset start, DateTimeOffset end)
    {
        var described = recordings.Where(r => r.IsDescribed).ToList();
        if (described.Count == 0) throw new ArgumentException("no recording with a known prr and channel count", nameof(recordings));
        var prr = described
            .GroupBy(r => r.Prr)
            .OrderByDescending(g => g.Sum(r => Covered(r, start, end).Ticks))
            .ThenBy(g => g.Key)
            .First().Key;
        var playable = described.Where(r => r.Prr == prr).ToList();
        var channels = playable.Min(r => r.Channels);
        var dx = playable[0].Dx > 0 ? playable[0].Dx : 1;
        var fiber = new FiberMetadata
        {
            Prr = prr,
            NumberOfChannels = channels,
            Dx = dx,
            FiberLengthMeters = channels * dx,
            SwVersion = "recordings",
            FiberDescription = $"{playable.Count} recording(s) overlapping {start:u} .. {end:u}",
            InterrogatorId = "storage",
        };
        return (fiber, playable);
    }

    private static TimeSpan Covered(RecordingInfo r, DateTimeOffset start, DateTimeOffset end)
    {
        var from = r.Start > start ? r.Start : start;
        var to = r.End is { } e && e < end ? e : end;
        return to > from ? to - from : TimeSpan.Zero;
    }
}
