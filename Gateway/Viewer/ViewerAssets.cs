using System.Collections.Frozen;
using System.Reflection;
using System.Security.Cryptography;

namespace Focus.Gateway.Viewer;

/// <summary>
/// The viewer's built files (<c>Viewer/dist/</c>), embedded in this assembly at build time so the
/// gateway serves them with nothing else installed. Read once; each has its content type and ETag.
/// </summary>
internal sealed class ViewerAssets
{
    public const string ResourcePrefix = "viewer/";

    private static readonly FrozenDictionary<string, string> ContentTypes = new Dictionary<string, string>
    {
        [".html"] = "text/html; charset=utf-8",
        [".js"] = "text/javascript; charset=utf-8",
        [".css"] = "text/css; charset=utf-8",
        [".svg"] = "image/svg+xml",
        [".png"] = "image/png",
        [".map"] = "application/json",
    }.ToFrozenDictionary();

    private readonly FrozenDictionary<string, ViewerAsset> _assets;

    public ViewerAssets() : this(typeof(ViewerAssets).Assembly) { }

    internal ViewerAssets(Assembly assembly)
    {
        var assets = new Dictionary<string, ViewerAsset>(StringComparer.Ordinal);
        foreach (var name in assembly.GetManifestResourceNames().Where(n => n.StartsWith(ResourcePrefix, StringComparison.Ordinal)))
        {
            using var stream = assembly.GetManifestResourceStream(name)!;
            using var copy = new MemoryStream();
            stream.CopyTo(copy);
            var bytes = copy.ToArray();
            var path = name[ResourcePrefix.Length..].Replace('\\', '/');
            var type = ContentTypes.GetValueOrDefault(Path.GetExtension(path), "application/octet-stream");
            assets[path] = new ViewerAsset(bytes, type, $"\"{Convert.ToHexString(SHA256.HashData(bytes))[..16]}\"");
        }
        _assets = assets.ToFrozenDictionary(StringComparer.Ordinal);
    }

    public IReadOnlyCollection<string> Paths => _assets.Keys;

    public bool TryGet(string path, out ViewerAsset asset) => _assets.TryGetValue(path, out asset!);
}

internal sealed record ViewerAsset(byte[] Content, string ContentType, string ETag);
