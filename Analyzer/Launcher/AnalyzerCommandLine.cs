using System.Globalization;

namespace Focus.Analyzer.Launcher;

/// <summary>
/// An analyzer process's command line: <c>--job ID --port N --parent PID</c> for a process started for a job, or
/// <c>--spare --parent PID</c> for one started ahead of need (it learns its job and port from the <c>start</c> on
/// stdin), then <c>--Focus:Key=value</c> settings. A spare's line ends with a blank argument: room over which it
/// writes its job's <c>--job ID --port N</c> once it has one, so <c>ps</c> shows every job's process alike.
/// </summary>
public sealed record AnalyzerCommandLine
{
    public const string Usage = "usage: Focus.Analyzer (--job ID --port N | --spare) [--parent PID] [--Focus:Key=value ...]  (started by a silo with Focus:Analyzer:Host=process)";

    /// <summary>The blank argument a spare's command line ends with (room for the job id and port it later shows).</summary>
    public static readonly string SpareRoom = new(' ', 96);

    /// <summary>The job's id, or empty for a spare.</summary>
    public string JobId { get; init; } = "";

    /// <summary>The job's port, or 0 for a spare.</summary>
    public int Port { get; init; }

    /// <summary>The silo's pid (0: not watched).</summary>
    public int ParentPid { get; init; }

    public bool IsSpare { get; init; }

    /// <summary><c>--Key=value</c> settings, for configuration.</summary>
    public IReadOnlyList<string> Settings { get; init; } = [];

    /// <summary>The arguments naming a job's process (what a process started for the job gets, and what a spare shows once it has one).</summary>
    public static string[] ForJob(string jobId, int port, int parentPid) =>
        ["--job", jobId, "--port", port.ToString(CultureInfo.InvariantCulture), "--parent", parentPid.ToString(CultureInfo.InvariantCulture)];

    public static string[] ForSpare(int parentPid) =>
        ["--spare", "--parent", parentPid.ToString(CultureInfo.InvariantCulture), SpareRoom];

    public static bool TryParse(IReadOnlyList<string> args, out AnalyzerCommandLine commandLine)
    {
        var (jobId, port, parentPid, spare) = ("", 0, 0, false);
        var settings = new List<string>();
        commandLine = new AnalyzerCommandLine();
        for (var i = 0; i < args.Count; i++)
        {
            var value = i + 1 < args.Count ? args[i + 1] : null;
            switch (args[i])
            {
                case "--job" when value is { Length: > 0 }:
                    jobId = value;
                    i++;
                    break;
                case "--port" when int.TryParse(value, NumberStyles.None, CultureInfo.InvariantCulture, out var p) && p is >= 1 and <= 65535:
                    port = p;
                    i++;
                    break;
                case "--parent" when int.TryParse(value, NumberStyles.None, CultureInfo.InvariantCulture, out var pid):
                    parentPid = pid;
                    i++;
                    break;
                case "--spare":
                    spare = true;
                    break;
                case var arg when arg.StartsWith("--", StringComparison.Ordinal) && arg.Contains('=', StringComparison.Ordinal):
                    settings.Add(arg);
                    break;
                case var blank when string.IsNullOrWhiteSpace(blank):
                    break; // a spare's room
                default:
                    return false;
            }
        }
        if (spare ? jobId.Length > 0 || port > 0 : jobId.Length == 0 || port == 0) return false;
        commandLine = new AnalyzerCommandLine { JobId = jobId, Port = port, ParentPid = parentPid, IsSpare = spare, Settings = settings };
        return true;
    }
}
