using System.Globalization;

namespace Focus.IntegrationTests.Faults;

/// <summary>
/// The TCP ports one process listens on (Linux): its sockets (the <c>socket:[inode]</c> links in <c>/proc/PID/fd</c>)
/// matched to the LISTEN rows of <c>/proc/net/tcp</c> and <c>tcp6</c>. A census of a silo counts its own listeners,
/// not whatever else on the machine took an ephemeral port inside its stream block.
/// </summary>
internal static class ProcessListeners
{
    private const string Listen = "0A";

    public static IReadOnlySet<int> Of(int pid)
    {
        var sockets = new HashSet<string>(StringComparer.Ordinal);
        try
        {
            foreach (var fd in Directory.EnumerateFileSystemEntries($"/proc/{pid}/fd"))
            {
                if (LinkTarget(fd) is { } target && target.StartsWith("socket:[", StringComparison.Ordinal))
                    sockets.Add(target["socket:[".Length..^1]);
            }
        }
        catch (Exception ex) when (ex is DirectoryNotFoundException or UnauthorizedAccessException or IOException)
        {
            return new HashSet<int>(); // the process has gone
        }

        var ports = new HashSet<int>();
        foreach (var table in new[] { "/proc/net/tcp", "/proc/net/tcp6" })
        {
            if (!File.Exists(table)) continue;
            // sl local_address rem_address st tx:rx tr:when retrnsmt uid timeout inode ...
            foreach (var row in File.ReadLines(table).Skip(1))
            {
                var fields = row.Split(' ', StringSplitOptions.RemoveEmptyEntries);
                if (fields.Length < 10 || fields[3] != Listen || !sockets.Contains(fields[9])) continue;
                var local = fields[1];
                ports.Add(int.Parse(local[(local.LastIndexOf(':') + 1)..], NumberStyles.HexNumber, CultureInfo.InvariantCulture));
            }
        }
        return ports;
    }

    private static string? LinkTarget(string fd)
    {
        try
        {
            return new FileInfo(fd).LinkTarget;
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            return null; // closed meanwhile
        }
    }
}
