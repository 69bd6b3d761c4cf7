using System.Runtime.InteropServices;

namespace Focus.Analyzer.Launcher;

/// <summary>
/// An analyzer process's tie to the silo that started it. Its own process group keeps a terminal's Ctrl+C (sent to the
/// silo's group) from killing it behind the silo's back: the silo stops it. Reparenting (the silo died and init or a
/// subreaper adopted it) is seen by polling getppid(); PR_SET_PDEATHSIG is no use in .NET, as it fires when the
/// forking thread exits, not the process. The end of stdin is the other, faster sign (see the runner).
/// </summary>
internal static partial class ParentProcess
{
    /// <summary>Moves this process into a process group of its own (Linux and macOS; elsewhere nothing).</summary>
    public static void LeaveParentGroup()
    {
        if (OperatingSystem.IsLinux() || OperatingSystem.IsMacOS()) _ = SetProcessGroup(0, 0);
    }

    /// <summary>Completes when this process's parent is no longer <paramref name="parentPid"/> (checked every 250 ms).</summary>
    public static async Task WaitGoneAsync(int parentPid, CancellationToken cancellationToken)
    {
        if (!(OperatingSystem.IsLinux() || OperatingSystem.IsMacOS()) || parentPid <= 0)
        {
            await Task.Delay(Timeout.Infinite, cancellationToken);
            return;
        }
        using var timer = new PeriodicTimer(TimeSpan.FromMilliseconds(250));
        while (GetParentProcessId() == parentPid)
            await timer.WaitForNextTickAsync(cancellationToken);
    }

    [LibraryImport("libc", EntryPoint = "getppid")]
    private static partial int GetParentProcessId();

    [LibraryImport("libc", EntryPoint = "setpgid")]
    private static partial int SetProcessGroup(int pid, int pgid);
}
