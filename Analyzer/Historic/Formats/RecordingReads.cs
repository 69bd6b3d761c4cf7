namespace Focus.Analyzer.Historic.Formats;

/// <summary>The argument checks every reader's <see cref="IRecording.Read"/> makes, in one place.</summary>
internal static class RecordingReads
{
    /// <summary>Checks a read of <paramref name="rows"/> x <paramref name="channels"/> and returns its value count.</summary>
    public static int Check(RecordingHeader header, long firstRow, int rows, int firstChannel, int channels, Span<float> destination)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(firstRow);
        ArgumentOutOfRangeException.ThrowIfLessThan(rows, 0);
        ArgumentOutOfRangeException.ThrowIfLessThan(firstChannel, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(channels, 0);
        if (firstRow + rows > header.SampleCount)
            throw new ArgumentOutOfRangeException(nameof(rows), $"rows {firstRow}..{firstRow + rows - 1} run past the recording's {header.SampleCount}");
        if (firstChannel + channels - 1 > header.Channels)
            throw new ArgumentOutOfRangeException(nameof(channels), $"channels {firstChannel}..{firstChannel + channels - 1} run past the recording's {header.Channels}");
        var count = (long)rows * channels <= int.MaxValue ? rows * channels
            : throw new ArgumentOutOfRangeException(nameof(rows), $"{rows} rows of {channels} channels are more values than one read may hold");
        if (destination.Length < count) throw new ArgumentException($"destination holds {destination.Length} values; {count} needed", nameof(destination));
        return count;
    }

    /// <summary>Nominal row times: <paramref name="startMicros"/> + row / prr, in µs.</summary>
    public static void NominalTimes(long startMicros, double prr, long firstRow, Span<long> destination)
    {
        for (var i = 0; i < destination.Length; i++) destination[i] = startMicros + (long)Math.Round((firstRow + i) * 1e6 / prr);
    }
}
