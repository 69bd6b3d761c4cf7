using System.Security.Cryptography.X509Certificates;

namespace Focus.Grains.Security;

/// <summary>
/// A server certificate from files (PEM with its key, or PFX/PKCS#12), loaded again when a file's write time changes,
/// so a renewed certificate is served by the next handshake without a restart. REST and the jobs' ports share it.
/// </summary>
public sealed class RenewableCertificate(string certificatePath, string keyPath, string password)
{
    private readonly Lock _gate = new();
    private (DateTime Written, X509Certificate2 Certificate)? _loaded;

    /// <summary>PFX/PKCS#12 by its extension (<c>.pfx</c>, <c>.p12</c>); anything else is read as PEM.</summary>
    private static bool IsPfx(string path) => path.EndsWith(".pfx", StringComparison.OrdinalIgnoreCase)
        || path.EndsWith(".p12", StringComparison.OrdinalIgnoreCase);

    public X509Certificate2 Current()
    {
        var written = File.GetLastWriteTimeUtc(certificatePath);
        if (keyPath.Length > 0) written = Max(written, File.GetLastWriteTimeUtc(keyPath));
        lock (_gate)
        {
            if (_loaded is { } loaded && loaded.Written == written) return loaded.Certificate;
            try
            {
                var certificate = IsPfx(certificatePath)
                    ? X509CertificateLoader.LoadPkcs12FromFile(certificatePath, password)
                    : X509Certificate2.CreateFromPemFile(certificatePath, keyPath.Length > 0 ? keyPath : null);
                _loaded = (written, certificate);
                return certificate;
            }
            catch (Exception) when (_loaded is { } previous)
            {
                // Caught between a renewal's two files (the new key beside the old certificate): keep serving the
                // one that loaded, and try again at the next handshake.
                return previous.Certificate;
            }
        }
    }

    private static DateTime Max(DateTime a, DateTime b) => a > b ? a : b;
}
