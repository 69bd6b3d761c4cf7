using System.Diagnostics;
using k8s;

namespace Focus.IntegrationTests.Kubernetes;

/// <summary>The repository's k8s/ folder, rendered by the kubectl on PATH (<c>kubectl kustomize</c>) and read strictly.</summary>
public static class Manifests
{
    public static string Root { get; } = FindRoot();

    /// <summary>Renders k8s/<paramref name="target"/>; a kubectl that is missing or fails is a test failure.</summary>
    public static async Task<string> RenderAsync(string target)
    {
        var start = new ProcessStartInfo("kubectl", ["kustomize", Path.Combine(Root, target)])
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        Process process;
        try
        {
            process = Process.Start(start)!;
        }
        catch (System.ComponentModel.Win32Exception ex)
        {
            throw new InvalidOperationException("kubectl is not on PATH (test.sh installs Debian's kubernetes-client)", ex);
        }
        using (process)
        {
            var output = process.StandardOutput.ReadToEndAsync();
            var error = process.StandardError.ReadToEndAsync();
            await process.WaitForExitAsync().WaitAsync(TimeSpan.FromSeconds(60));
            Assert.True(process.ExitCode == 0, $"kubectl kustomize {target} exited {process.ExitCode}: {await error}");
            return await output;
        }
    }

    /// <summary>Every object of the render, deserialised strictly: a field KubernetesClient's models do not know fails.</summary>
    public static async Task<List<object>> LoadAsync(string target) =>
        KubernetesYaml.LoadAllFromString(await RenderAsync(target), strict: true);

    private static string FindRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
            if (Directory.Exists(Path.Combine(dir.FullName, "k8s", "base")) && File.Exists(Path.Combine(dir.FullName, "Focus.Orleans.sln")))
                return Path.Combine(dir.FullName, "k8s");
        throw new DirectoryNotFoundException("k8s/ not found above the test's folder");
    }
}
