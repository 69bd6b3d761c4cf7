using System.Diagnostics;

namespace Focus.UnitTests.Historic;

/// <summary>Runs a Python script of this folder with Debian's python3 (where python3-h5py and numpy live).</summary>
public static class H5py
{
    public static void Run(string script, params string[] arguments)
    {
        var path = Path.Combine(AppContext.BaseDirectory, "Historic", script);
        var python = File.Exists("/usr/bin/python3") ? "/usr/bin/python3" : "python3";
        using var process = Process.Start(new ProcessStartInfo(python, [path, .. arguments])
        {
            RedirectStandardError = true,
            RedirectStandardOutput = true,
        })!;
        var errors = process.StandardError.ReadToEndAsync();
        _ = process.StandardOutput.ReadToEndAsync();
        Assert.True(process.WaitForExit(TimeSpan.FromSeconds(120)), $"{script} did not finish within 120 s");
        Assert.True(process.ExitCode == 0, $"{script} failed (is python3-h5py installed? test.sh installs it): {errors.Result}");
    }
}
