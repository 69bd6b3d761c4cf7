using System.Globalization;
using Focus.Analyzer.Historic;
using Focus.Analyzer.Sources.Simulated;
using Microsoft.Extensions.Configuration;

namespace Focus.Simulator;

/// <summary>
/// <c>record --out DIR --from TIME --minutes N [--gap OFFSET+LENGTH[,…]] [--file-minutes M] [--channels C] [--format prodml|segy]</c>:
/// writes the simulated fiber as PRODML (<c>.h5</c>, the default) or SEG-Y rev 2 (<c>.segy</c>) recordings (one file
/// per M minutes, ending at gaps) so users and tests
/// can make storage with holes. TIME is epoch seconds, <c>yymmddHHMMSS</c> UTC or ISO 8601; a gap is
/// <c>OFFSET+LENGTH</c> after TIME, in seconds or with a unit (<c>2m+5m</c>).
/// </summary>
internal static class RecordCommand
{
    public const string Usage =
        "usage: Simulator record --out DIR --from EPOCH|yymmddHHMMSS|ISO --minutes N [--gap OFFSET+LENGTH[,...]] [--file-minutes M] [--channels C] [--format prodml|segy]";

    public static int Run(IConfiguration arguments, SimulatorOptions options)
    {
        var output = arguments["out"];
        var minutes = arguments.GetValue<double?>("minutes");
        var fileMinutes = arguments.GetValue("file-minutes", 1.0);
        var channels = arguments.GetValue("channels", Math.Min(64, options.Channels));
        var format = (arguments["format"] ?? "prodml").ToLowerInvariant() switch
        {
            "prodml" or "h5" or "hdf5" => RecordingFileFormat.Prodml,
            "segy" or "sgy" or "seg-y" => RecordingFileFormat.Segy,
            _ => (RecordingFileFormat?)null,
        };
        if (format is null) return Fail($"--format '{arguments["format"]}' is not prodml or segy");
        var gaps = new List<RecordingGap>();
        foreach (var text in (arguments["gap"] ?? "").Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            if (!RecordingGap.TryParse(text, out var gap)) return Fail($"--gap '{text}' is not OFFSET+LENGTH (e.g. 120+300 or 2m+5m)");
            gaps.Add(gap);
        }
        if (string.IsNullOrWhiteSpace(output)) return Fail("--out DIR is required");
        if (!TryParseTime(arguments["from"], out var from)) return Fail("--from is required: epoch seconds, yymmddHHMMSS (UTC) or ISO 8601");
        if (minutes is not (> 0 and <= 24 * 60)) return Fail("--minutes must be in (0, 1440]");
        if (!(fileMinutes > 0)) return Fail("--file-minutes must be positive");
        if (channels < 1 || channels > options.Channels) return Fail($"--channels must be 1..{options.Channels}");

        var recorder = new SimulatedRecorder(new SimulatedFiber(options), channels);
        var files = recorder.Record(Path.GetFullPath(output), from, TimeSpan.FromMinutes(minutes.Value), TimeSpan.FromMinutes(fileMinutes), gaps, format.Value);
        foreach (var (path, start, end) in files)
            Console.WriteLine($"{path}  {start:yyyy-MM-dd HH:mm:ss.fff} .. {end:HH:mm:ss.fff}  ({start.ToUnixTimeSeconds()} .. {end.ToUnixTimeSeconds()})");
        Console.WriteLine($"{files.Count} {(format == RecordingFileFormat.Segy ? "SEG-Y" : "PRODML")} file(s): {channels} channels at {options.Prr} Hz, float32");
        return 0;
    }

    private static bool TryParseTime(string? text, out DateTimeOffset time)
    {
        time = default;
        if (string.IsNullOrWhiteSpace(text)) return false;
        if (text.Length == 12 && text.All(char.IsAsciiDigit) &&
            DateTime.TryParseExact(text, "yyMMddHHmmss", CultureInfo.InvariantCulture, DateTimeStyles.AdjustToUniversal | DateTimeStyles.AssumeUniversal, out var compact))
        {
            time = new DateTimeOffset(compact, TimeSpan.Zero);
            return true;
        }
        if (long.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var seconds))
        {
            time = DateTimeOffset.FromUnixTimeSeconds(seconds);
            return true;
        }
        return DateTimeOffset.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal, out time);
    }

    private static int Fail(string message)
    {
        Console.Error.WriteLine(message);
        Console.Error.WriteLine(Usage);
        return 2;
    }
}
