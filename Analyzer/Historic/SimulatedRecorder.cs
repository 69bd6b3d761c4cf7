using System.Globalization;
using Focus.Analyzer.Sources.Simulated;

namespace Focus.Analyzer.Historic;

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
