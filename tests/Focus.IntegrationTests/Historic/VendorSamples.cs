namespace Focus.IntegrationTests.Historic;

/// <summary>The real vendor samples in <c>../shared/data/das/</c> beside the repository (never copied into it).</summary>
public static class VendorSamples
{
    public static string Path(string name)
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (!File.Exists(System.IO.Path.Combine(dir.FullName, "Focus.Orleans.sln"))) continue;
            var path = System.IO.Path.GetFullPath(System.IO.Path.Combine(dir.FullName, "..", "shared", "data", "das", name));
            Assert.True(File.Exists(path), $"the DAS sample {path} is missing (the repository must sit beside ../shared)");
            return path;
        }
        throw new InvalidOperationException($"Focus.Orleans.sln not found above {AppContext.BaseDirectory}");
    }

    /// <summary>A fresh storage folder holding links to <paramref name="names"/>.</summary>
    public static string LinkedFolder(string label, params string[] names)
    {
        var folder = System.IO.Path.Combine(System.IO.Path.GetTempPath(), $"focus-{label}-{Guid.NewGuid():N}");
        Directory.CreateDirectory(folder);
        foreach (var name in names) File.CreateSymbolicLink(System.IO.Path.Combine(folder, name), Path(name));
        return folder;
    }
}
