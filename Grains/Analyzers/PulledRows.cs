using System.Runtime.InteropServices;
using Focus.Analyzer.Pipeline;
using Focus.Analyzer.Streaming;
using Focus.Grains.Jobs;

namespace Focus.Grains.Analyzers;

/// <summary>The data plane's pulled lines as the control plane hands them out: channels and dB values per line, with the frame's end.</summary>
internal static class PulledRows
{
    public static PullResult From(PullTake take, PipelineSpec spec)
    {
        if (take.Lines.Count == 0) return take.Ended ? PullResult.Ended : PullResult.Empty;
        var frameMs = FrameMilliseconds(spec);
        var rows = new PulledRow[take.Lines.Count];
        for (var i = 0; i < rows.Length; i++) rows[i] = From(take.Lines[i], frameMs);
        return new PullResult { State = PullState.Lines, Rows = rows };
    }

    /// <summary>
    /// <c>internal_nfft / prr</c> in ms, rounded half away from zero, at least 1 (CONTRACT §1: end = start + the frame's length).
    /// </summary>
    public static long FrameMilliseconds(PipelineSpec spec) =>
        Math.Max(1, (long)Math.Round(spec.Nfft * 1000.0 / spec.Prr, MidpointRounding.AwayFromZero));

    private static PulledRow From(PullLine line, long frameMs)
    {
        var channelCount = 0;
        var valueCount = 0;
        foreach (var segment in line.Segments)
        {
            channelCount += segment.LastChannel - segment.FirstChannel + 1;
            valueCount += segment.Values.Length / sizeof(float);
        }
        var channels = new int[channelCount];
        var values = new float[valueCount];
        var (c, v) = (0, 0);
        foreach (var segment in line.Segments)
        {
            for (var channel = segment.FirstChannel; channel <= segment.LastChannel; channel++) channels[c++] = channel;
            var floats = MemoryMarshal.Cast<byte, float>(segment.Values.Span); // float32 little-endian, as on the wire
            floats.CopyTo(values.AsSpan(v));
            v += floats.Length;
        }
        return new PulledRow(line.TimestampMs, line.TimestampMs + frameMs, channels, values);
    }
}
