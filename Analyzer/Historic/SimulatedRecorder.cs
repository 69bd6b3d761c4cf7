using System.Globalization;
using Focus.Analyzer.Sources.Simulated;

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

/// <summary>The file format a recorder writes.</summary>
public enum RecordingFileFormat
{
    /// <summary>PRODML 2.1 HDF5 (<c>.h5</c>, <see cref="ProdmlWriter"/>).</summary>
    Prodml,
    /// <summary>SEG-Y rev 2.0 (<c>.segy</c>, <see cref="Formats.SegY.SegyWriter"/>).</summary>
    Segy,
}

/// <summary>
/// The recorder of the simulated fiber: writes [from, from + duration) minus the gaps as PRODML or SEG-Y files of at
/// most <c>fileSpan</c> each (files end at gaps), named by their first sample's UTC time. Each file is written under a
/// <c>.partial</c> name and renamed when complete, so a watching catalog never sees half a file.
/// </summary>
public sealed class SimulatedRecorder(SimulatedFiber fiber, int channels)
{
    public SimulatedFiber Fiber { get; } = fiber;

    public int Channels { get; } = channels >= 1 && channels <= fiber.Channels
        ? channels
        : throw new ArgumentOutOfRangeException(nameof(channels), channels, $"use 1..{fiber.Channels} channels");

    /// <summary>Writes the files; returns their paths and spans in time order.</summary>
    public IReadOnlyList<(string Path, DateTimeOffset Start, DateTimeOffset End)> Record(
        string directory, DateTimeOffset from, TimeSpan duration, TimeSpan fileSpan, IReadOnlyList<RecordingGap> gaps,
        RecordingFileFormat format = RecordingFileFormat.Prodml)
    {
        ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(duration, TimeSpan.Zero);
        ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(fileSpan, TimeSpan.Zero);
        Directory.CreateDirectory(directory);
        var clock = Fiber.Clock;
        var first = clock.IndexAt(from - TimeSpan.FromTicks(1)) + 1; // first sample at or after `from`
        var last = clock.IndexAt(from + duration - TimeSpan.FromTicks(1)) + 1; // exclusive
        var holes = gaps
            .Select(g => (Start: clock.IndexAt(from + g.Offset - TimeSpan.FromTicks(1)) + 1, End: clock.IndexAt(from + g.Offset + g.Length - TimeSpan.FromTicks(1)) + 1))
            .OrderBy(g => g.Start)
            .ToArray();
        var perFile = Math.Max(1, (long)Math.Round(fileSpan.TotalSeconds * Fiber.Prr));
        var written = new List<(string, DateTimeOffset, DateTimeOffset)>();
        for (var at = first; at < last;)
        {
            if (holes.FirstOrDefault(h => h.Start <= at && at < h.End) is { End: > 0 } inside)
            {
                at = inside.End;
                continue;
            }
            var nextHole = holes.Where(h => h.Start > at).Select(h => h.Start).DefaultIfEmpty(long.MaxValue).Min();
            var end = Math.Min(Math.Min(at + perFile, last), nextHole);
            var start = clock.TimeOf(at);
            var extension = format == RecordingFileFormat.Segy ? ".segy" : ".h5";
            var path = Path.Combine(directory, start.UtcDateTime.ToString("yyyyMMdd'T'HHmmss.fff'Z'", CultureInfo.InvariantCulture) + extension);
            var partial = path + ".partial";
            Action<long, int, Span<float>> fill = (index, rows, destination) => Fiber.Fill(1, Channels, index, rows, destination);
            if (format == RecordingFileFormat.Segy) Formats.SegY.SegyWriter.Write(partial, Fiber.Prr, Channels, at, end - at, fill);
            else ProdmlWriter.Write(partial, Fiber.Prr, Channels, Fiber.Dx, at, end - at, fill);
            File.Move(partial, path, overwrite: true);
            written.Add((path, start, clock.TimeOf(end)));
            at = end;
        }
        return written;
    }
}
