using System.Globalization;

namespace Focus.Analyzer.Historic;

/// <summary>A stretch of the recording session with nothing recorded: [Offset, Offset + Length) after its start.</summary>
public readonly record struct RecordingGap(TimeSpan Offset, TimeSpan Length)
{
    /// <summary>Parses <c>OFFSET+LENGTH</c> in seconds (<c>120+300</c>) or with units (<c>2m+5m</c>, <c>90s+1h</c>).</summary>
    public static bool TryParse(string text, out RecordingGap gap)
    {
        gap = default;
        var parts = text.Split('+', StringSplitOptions.TrimEntries);
        if (parts is not [var offset, var length] || !TryParseDuration(offset, out var o) || !TryParseDuration(length, out var l) || l <= TimeSpan.Zero)
            return false;
        gap = new RecordingGap(o, l);
        return true;
    }

    public static bool TryParseDuration(string text, out TimeSpan duration)
    {
        duration = default;
        if (text.Length == 0) return false;
        var (number, unit) = char.IsAsciiLetter(text[^1]) ? (text[..^1], text[^1]) : (text, 's');
        if (!double.TryParse(number, NumberStyles.Float, CultureInfo.InvariantCulture, out var value) || value < 0 || !double.IsFinite(value)) return false;
        var seconds = unit switch { 's' => value, 'm' => value * 60, 'h' => value * 3600, _ => double.NaN };
        if (double.IsNaN(seconds)) return false;
        duration = TimeSpan.FromSeconds(seconds);
        return true;
    }
}
