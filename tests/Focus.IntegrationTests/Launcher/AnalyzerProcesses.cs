using System.Globalization;

namespace Focus.IntegrationTests.Launcher;

/// <summary>The analyzer processes on this machine, found as an operator would: by their command line in /proc.</summary>
internal static class AnalyzerProcesses
{
    /// <summary>A running analyzer process: its pid, job, port and the silo that started it; a spare has no job (<c>--spare</c>).</summary>
    public sealed record Entry(int Pid, string JobId, int Port, int ParentPid)
    {
        public bool IsSpare => JobId.Length == 0;
    }

    public static IReadOnlyList<Entry> All()
    {
        var found = new List<Entry>();
        foreach (var dir in Directory.EnumerateDirectories("/proc"))
        {
            if (!int.TryParse(Path.GetFileName(dir), NumberStyles.None, CultureInfo.InvariantCulture, out var pid)) continue;
            string[] args;
            try
            {
                args = File.ReadAllText(Path.Combine(dir, "cmdline")).Split('\0');
            }
            catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
            {
                continue; // gone meanwhile
            }
            if (!args.Any(a => a.EndsWith("Focus.Analyzer.dll", StringComparison.Ordinal) || a.EndsWith("/Focus.Analyzer", StringComparison.Ordinal))) continue;
            var job = Value(args, "--job") ?? (args.Contains("--spare") ? "" : null);
            if (job is null || IsZombie(pid)) continue;
            found.Add(new Entry(pid, job, int.Parse(Value(args, "--port") ?? "0", CultureInfo.InvariantCulture),
                int.Parse(Value(args, "--parent") ?? "0", CultureInfo.InvariantCulture)));
        }
        return found;
    }

    public static Entry? OfJob(string jobId) => All().SingleOrDefault(e => e.JobId == jobId);

    /// <summary>The spares (no job yet) of the silo <paramref name="parentPid"/>.</summary>
    public static IReadOnlyList<Entry> SparesOf(int parentPid) => [.. All().Where(e => e.IsSpare && e.ParentPid == parentPid)];

    /// <summary>Waits until <paramref name="condition"/> holds of the processes, or fails with <paramref name="what"/>.</summary>
    public static async Task<IReadOnlyList<Entry>> WaitUntil(Func<IReadOnlyList<Entry>, bool> condition, string what, TimeSpan? deadline = null)
    {
        var until = DateTime.UtcNow + (deadline ?? TimeSpan.FromSeconds(20));
        while (true)
        {
            var all = All();
            if (condition(all)) return all;
            Assert.True(DateTime.UtcNow < until, $"{what}; analyzer processes now: {string.Join(", ", all)}");
            await Task.Delay(100);
        }
    }

    /// <summary>True while <paramref name="pid"/> exists in any state (a zombie too).</summary>
    public static bool Exists(int pid) => File.Exists($"/proc/{pid}/stat");

    /// <summary>Exited but not reaped by its parent.</summary>
    public static bool IsZombie(int pid)
    {
        try
        {
            var stat = File.ReadAllText($"/proc/{pid}/stat");
            return stat[(stat.LastIndexOf(')') + 2)..].StartsWith('Z');
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            return false;
        }
    }

    /// <summary>kill -9 of this one process (not its children).</summary>
    public static void Kill(int pid)
    {
        using var kill = System.Diagnostics.Process.Start("kill", ["-KILL", pid.ToString(CultureInfo.InvariantCulture)]);
        kill.WaitForExit();
    }

    private static string? Value(string[] args, string name)
    {
        var i = Array.IndexOf(args, name);
        return i >= 0 && i + 1 < args.Length ? args[i + 1] : null;
    }
}
