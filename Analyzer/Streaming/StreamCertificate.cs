using System.Security.Cryptography.X509Certificates;

namespace Focus.Analyzer.Streaming;

/// <summary>The certificate jobs' ports serve, loaded from <see cref="StreamTlsOptions"/> and again when its file changes.</summary>
public sealed class StreamCertificate(StreamTlsOptions options)
{
    private readonly Lock _gate = new();
    private (DateTime Written, X509Certificate2 Certificate)? _loaded;

    public X509Certificate2 Current()
    {
        var written = File.GetLastWriteTimeUtc(options.CertificatePath);
        if (options.KeyPath.Length > 0) written = Max(written, File.GetLastWriteTimeUtc(options.KeyPath));
        lock (_gate)
        {
            if (_loaded is { } loaded && loaded.Written == written) return loaded.Certificate;
            var certificate = options.IsPfx
                ? X509CertificateLoader.LoadPkcs12FromFile(options.CertificatePath, options.Password)
                : X509Certificate2.CreateFromPemFile(options.CertificatePath, options.KeyPath.Length > 0 ? options.KeyPath : null);
            _loaded = (written, certificate);
            return certificate;
        }
    }

    private static DateTime Max(DateTime a, DateTime b) => a > b ? a : b;
}
