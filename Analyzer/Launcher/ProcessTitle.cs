using System.Globalization;
using System.Text;

namespace Focus.Analyzer.Launcher;

/// <summary>
/// Rewrites this process's command line as <c>ps</c> and <c>/proc/PID/cmdline</c> show it (Linux only), as PostgreSQL
/// and nginx do: a spare that took a job then shows <c>--job ID --port N</c> like a process started for the job. The
/// kernel shows the bytes between the stat fields <c>arg_start</c> and <c>arg_end</c>; they are rewritten in place through
/// <c>/proc/self/mem</c> (an I/O error, never a crash, if anything is off), only after reading back exactly the
/// command line the kernel reports, and never past the original length (the spare's blank last argument is the room).
/// </summary>
internal static class ProcessTitle
{
    /// <summary>Replaces the arguments from <paramref name="from"/> on with <paramref name="replacement"/>; false when it cannot.</summary>
    public static bool TryReplaceArguments(string from, IReadOnlyList<string> replacement)
    {
        if (!OperatingSystem.IsLinux()) return false;
        try
        {
            var current = File.ReadAllBytes("/proc/self/cmdline");
            var (start, end) = ArgumentArea();
            if (end - start != current.Length) return false;
            using var memory = File.OpenHandle("/proc/self/mem", FileMode.Open, FileAccess.ReadWrite, FileShare.ReadWrite);
            var seen = new byte[current.Length];
            if (RandomAccess.Read(memory, seen, start) != seen.Length || !seen.AsSpan().SequenceEqual(current)) return false;

            var args = Encoding.UTF8.GetString(current).Split('\0');
            var keep = Array.IndexOf(args, from);
            if (keep < 0) return false;
            var text = string.Join('\0', args[..keep].Concat(replacement)) + '\0';
            var title = new byte[current.Length]; // NUL-padded; the last byte stays NUL
            if (Encoding.UTF8.GetBytes(text, title) >= title.Length) return false;
            RandomAccess.Write(memory, title, start);
            return true;
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException or ArgumentException or FormatException)
        {
            return false;
        }
    }

    /// <summary>The stat fields 48 and 49 (arg_start, arg_end): after the command name in parentheses, fields 3 onwards.</summary>
    private static (long Start, long End) ArgumentArea()
    {
        var stat = File.ReadAllText("/proc/self/stat");
        var fields = stat[(stat.LastIndexOf(')') + 2)..].Split(' ');
        return (long.Parse(fields[48 - 3], CultureInfo.InvariantCulture), long.Parse(fields[49 - 3], CultureInfo.InvariantCulture));
    }
}
