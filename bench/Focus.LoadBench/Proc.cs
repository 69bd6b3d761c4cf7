using System.Globalization;

namespace Focus.LoadBench;

/// <summary>Reads /proc for a process (RSS, threads, CPU ticks) and for the machine.</summary>
internal static class Proc
{
    public const double TicksPerSecond = 100.0; // USER_HZ; `getconf CLK_TCK` is 100 on Linux

    /// <summary>Processes whose command line has <c>--parent PID</c>: the analyzer processes a silo started.</summary>
    public static IReadOnlyList<int> AnalyzerChildren(int parentPid)
    {
        var found = new List<int>();
        foreach (var dir in Directory.EnumerateDirectories("/proc"))
        {
            if (!int.TryParse(Path.GetFileName(dir), out var pid)) continue;
            try
            {
                var args = File.ReadAllText(Path.Combine(dir, "cmdline")).Split('\0');
                var i = Array.IndexOf(args, "--parent");
                if (i > 0 && i + 1 < args.Length && args[i + 1] == parentPid.ToString(System.Globalization.CultureInfo.InvariantCulture)
                    && args.Contains("--job")) found.Add(pid);
            }
            catch (IOException)
            {
                // gone meanwhile
            }
        }
        return found;
    }

    public static long RssBytes(int pid) => StatusKb(pid, "VmRSS:") * 1024;

    public static long HwmBytes(int pid) => StatusKb(pid, "VmHWM:") * 1024;

    public static int Threads(int pid) => (int)StatusKb(pid, "Threads:");

    private static long StatusKb(int pid, string key)
    {
        foreach (var line in File.ReadLines($"/proc/{pid}/status"))
            if (line.StartsWith(key, StringComparison.Ordinal))
                return long.Parse(line[key.Length..].Trim().Split(' ')[0], CultureInfo.InvariantCulture);
        return 0;
    }

    /// <summary>utime + stime of the process, in clock ticks.</summary>
    public static long CpuTicks(int pid)
    {
        var stat = File.ReadAllText($"/proc/{pid}/stat");
        var fields = stat[(stat.LastIndexOf(')') + 2)..].Split(' ');
        // after "pid (comm) ": field 3 (state) is index 0, so utime (14) is index 11 and stime (15) index 12
        return long.Parse(fields[11], CultureInfo.InvariantCulture) + long.Parse(fields[12], CultureInfo.InvariantCulture);
    }

    /// <summary>Nanoseconds each thread of the process has waited on a run queue (/proc/pid/task/TID/schedstat field 2), by thread id.</summary>
    public static Dictionary<(int Pid, int Tid), long> RunQueueWaitNs(int pid)
    {
        var waits = new Dictionary<(int, int), long>();
        try
        {
            foreach (var task in Directory.EnumerateDirectories($"/proc/{pid}/task"))
            {
                try
                {
                    var parts = File.ReadAllText(Path.Combine(task, "schedstat")).Split(' ');
                    if (parts.Length > 1 && int.TryParse(Path.GetFileName(task), CultureInfo.InvariantCulture, out var tid))
                        waits[(pid, tid)] = long.Parse(parts[1], CultureInfo.InvariantCulture);
                }
                catch (IOException) { } // thread gone
            }
        }
        catch (IOException) { }
        return waits;
    }

    /// <summary>
    /// Run-queue wait between two samples: each thread's growth (a thread born in between counts from 0). A thread
    /// that ended in between is left out rather than subtracted, so the figure is a lower bound, never negative.
    /// </summary>
    public static long RunQueueWaitBetween(Dictionary<(int Pid, int Tid), long> before, Dictionary<(int Pid, int Tid), long> after) =>
        after.Sum(t => Math.Max(0, t.Value - before.GetValueOrDefault(t.Key)));

    /// <summary>The process's threads grouped by name (/proc/pid/task/*/comm), most common first.</summary>
    public static IReadOnlyList<(string Name, int Count)> ThreadNames(int pid)
    {
        var names = new Dictionary<string, int>();
        try
        {
            foreach (var task in Directory.EnumerateDirectories($"/proc/{pid}/task"))
            {
                try
                {
                    var name = File.ReadAllText(Path.Combine(task, "comm")).Trim();
                    names[name] = names.GetValueOrDefault(name) + 1;
                }
                catch (IOException) { }
            }
        }
        catch (IOException) { }
        return [.. names.OrderByDescending(n => n.Value).Select(n => (n.Key, n.Value))];
    }

    /// <summary>Busy and total ticks of all CPUs (first line of /proc/stat).</summary>
    public static (long Busy, long Total) MachineTicks()
    {
        var parts = File.ReadLines("/proc/stat").First().Split(' ', StringSplitOptions.RemoveEmptyEntries)[1..]
            .Select(p => long.Parse(p, CultureInfo.InvariantCulture)).ToArray();
        var idle = parts[3] + (parts.Length > 4 ? parts[4] : 0); // idle + iowait
        var total = parts.Take(8).Sum(); // user nice system idle iowait irq softirq steal
        return (total - idle, total);
    }

    public static string CpuModel()
    {
        try
        {
            foreach (var line in File.ReadLines("/proc/cpuinfo"))
                if (line.StartsWith("model name", StringComparison.Ordinal))
                    return line[(line.IndexOf(':') + 1)..].Trim();
        }
        catch (IOException) { }
        return "unknown";
    }

    public static string LoadAverage()
    {
        try { return string.Join(' ', File.ReadAllText("/proc/loadavg").Split(' ').Take(3)); }
        catch (IOException) { return "?"; }
    }
}

/// <summary>CPU used by the service's processes, by this bench and by the whole machine between two points in time.</summary>
internal sealed class CpuWindow
{
    private readonly int[] _pids;
    private readonly long[] _startTicks;
    private readonly long _startSelf;
    private readonly (long Busy, long Total) _startMachine;
    private readonly Dictionary<(int Pid, int Tid), long> _startWait;
    private readonly long _startStamp = System.Diagnostics.Stopwatch.GetTimestamp();

    public CpuWindow(int[] pids)
    {
        _pids = pids;
        _startTicks = [.. pids.Select(Proc.CpuTicks)];
        _startSelf = Proc.CpuTicks(Environment.ProcessId);
        _startMachine = Proc.MachineTicks();
        _startWait = RunQueueWaits(pids);
    }

    /// <summary>
    /// Cores used by the service (all its processes, and each one), by this bench, and by the whole machine (all
    /// processes); and the service's run-queue wait in cores (its threads ready to run but waiting for a CPU: how
    /// much the machine starves it).
    /// </summary>
    public CpuUse Stop()
    {
        var seconds = System.Diagnostics.Stopwatch.GetElapsedTime(_startStamp).TotalSeconds;
        double[] each = [.. _pids.Select((pid, i) => (Proc.CpuTicks(pid) - _startTicks[i]) / Proc.TicksPerSecond / seconds)];
        var bench = (Proc.CpuTicks(Environment.ProcessId) - _startSelf) / Proc.TicksPerSecond / seconds;
        var machine = Proc.MachineTicks();
        var busy = machine.Busy - _startMachine.Busy;
        var total = machine.Total - _startMachine.Total;
        var machineCores = total > 0 ? (double)busy / total * Environment.ProcessorCount : 0;
        var wait = Proc.RunQueueWaitBetween(_startWait, RunQueueWaits(_pids)) / 1e9 / seconds;
        return new CpuUse(each.Sum(), bench, machineCores, wait, seconds, each);
    }

    private static Dictionary<(int Pid, int Tid), long> RunQueueWaits(int[] pids) =>
        pids.SelectMany(pid => Proc.RunQueueWaitNs(pid)).ToDictionary(t => t.Key, t => t.Value);
}

/// <summary>Cores over a window: the service (sum of <see cref="PerProcess"/>), the bench, the whole machine; run-queue wait of the service.</summary>
internal readonly record struct CpuUse(double Service, double Bench, double Machine, double ServiceWait, double Seconds, double[] PerProcess);
