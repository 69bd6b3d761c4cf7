using System.Diagnostics;
using Focus.IntegrationTests.Infrastructure;

namespace Focus.IntegrationTests.EndToEnd;

/// <summary>
/// The README's Python client (requests + grpcio, stubs from the contract's proto) against the
/// real service: the wire format as a non-.NET client sees it. test.sh installs Debian's
/// python3-grpcio, python3-requests, python3-protobuf and protobuf-compiler.
/// </summary>
[Collection(ServiceCollection.Name)]
public sealed class PythonClientTests(FocusService service)
{
    [Fact]
    public async Task The_readme_python_client_reads_lines_and_stops_its_job()
    {
        var repo = RepositoryRoot();
        var work = Directory.CreateTempSubdirectory("focus-python-").FullName;
        try
        {
            File.Copy(Path.Combine(repo, "examples", "python", "focus_client.py"), Path.Combine(work, "focus_client.py"));
            var protoc = await Run("protoc", work, "-I", Path.Combine(repo, "Analyzer", "Streaming", "Protos"), "--python_out=.", "pandadatastream.proto");
            Assert.True(protoc.ExitCode == 0, protoc.Output);

            var gateway = service.BaseAddress.ToString().TrimEnd('/');
            var client = await Run(Python, work, "focus_client.py", "--url", gateway, "--channels", "10", "14", "--lines", "12");
            Assert.True(client.ExitCode == 0, client.Output);
            var rows = client.Output.Split('\n').Where(l => l.StartsWith("row ")).ToList();
            Assert.True(rows.Count >= 12, client.Output);
            // Channel 10 carries the simulator's 50 Hz tone: the strongest bin is the one nearest 50 Hz, except for the
            // few seconds in every ~2 minutes the simulated vehicle passes, when its 23 Hz engine is (bin 23.44 Hz).
            Assert.All(rows, r => Assert.True(r.Contains("peak    50.78 Hz") || r.Contains("peak    23.44 Hz"), r));
            Assert.Contains("cancelled", client.Output);
        }
        finally
        {
            Directory.Delete(work, recursive: true);
        }
    }

    private static string Python => File.Exists("/usr/bin/python3") ? "/usr/bin/python3" : "python3";

    private static string RepositoryRoot()
    {
        var dir = new DirectoryInfo(AppContext.BaseDirectory);
        while (dir is not null && !File.Exists(Path.Combine(dir.FullName, "Focus.Orleans.sln"))) dir = dir.Parent;
        return dir?.FullName ?? throw new InvalidOperationException("Focus.Orleans.sln not found above the test binaries");
    }

    private static async Task<(int ExitCode, string Output)> Run(string file, string workingDirectory, params string[] args)
    {
        var start = new ProcessStartInfo(file) { WorkingDirectory = workingDirectory, RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var arg in args) start.ArgumentList.Add(arg);
        using var process = Process.Start(start)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(90));
        try
        {
            await process.WaitForExitAsync(timeout.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            throw new TimeoutException($"{file} did not finish within 90 s: {await stdout}{await stderr}");
        }
        return (process.ExitCode, await stdout + await stderr);
    }
}
