using System.Diagnostics;

namespace Focus.IntegrationTests.Viewer;

/// <summary>
/// The viewer's own checks, run by Node: its unit tests (line decoding, gaps, ring, colour, form),
/// its type check, and that the committed bundle and generated code match the sources.
/// </summary>
public sealed class ViewerScriptTests
{
    [Fact]
    public async Task The_viewers_unit_tests_type_check_and_bundle_check_pass()
    {
        var viewer = Path.Combine(RepositoryRoot(), "Viewer");
        Assert.True(Directory.Exists(Path.Combine(viewer, "node_modules", "vitest")),
            $"the viewer's npm packages are missing in {viewer}: run ./test.sh (tests/servers/chromium.sh runs npm ci there).");

        var start = new ProcessStartInfo("npm", "test")
        {
            WorkingDirectory = viewer,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        start.Environment["CI"] = "1";
        start.Environment["NO_COLOR"] = "1";
        using var npm = Process.Start(start)!;
        var output = npm.StandardOutput.ReadToEndAsync();
        var errors = npm.StandardError.ReadToEndAsync();
        using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(4));
        try
        {
            await npm.WaitForExitAsync(timeout.Token);
        }
        catch (OperationCanceledException)
        {
            npm.Kill(entireProcessTree: true);
            throw;
        }
        Assert.True(npm.ExitCode == 0, $"npm test in Viewer/ failed ({npm.ExitCode}):\n{await output}\n{await errors}");
    }

    private static string RepositoryRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
            if (File.Exists(Path.Combine(dir.FullName, "Focus.Orleans.sln"))) return dir.FullName;
        throw new InvalidOperationException($"no Focus.Orleans.sln above {AppContext.BaseDirectory}");
    }
}
