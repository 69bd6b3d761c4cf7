namespace Focus.UnitTests.Historic;

/// <summary>The real vendor samples in <c>../shared/data/das/</c> beside the repository (never copied into it).</summary>
internal static class SharedData
{
    public static string Das(string name)
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (!File.Exists(Path.Combine(dir.FullName, "Focus.Orleans.sln"))) continue;
            var path = Path.GetFullPath(Path.Combine(dir.FullName, "..", "shared", "data", "das", name));
            Assert.True(File.Exists(path), $"the DAS sample {path} is missing (the repository must sit beside ../shared)");
            return path;
        }
        throw new InvalidOperationException($"Focus.Orleans.sln not found above {AppContext.BaseDirectory}");
    }
}
