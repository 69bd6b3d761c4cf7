namespace Focus.Analyzer.Streaming;

/// <summary>
/// <c>Focus:Streams:Tls</c>: jobs' ports serve TLS with this certificate (PEM with its key, or PFX); unset, they
/// serve HTTP/2 cleartext as production does. Read again for each new job when the file changed, so a renewed
/// certificate needs no restart (running jobs keep the one they started with).
/// </summary>
public sealed class StreamTlsOptions
{
    /// <summary>A PEM certificate (chain) or a PFX/PKCS#12 file (<c>.pfx</c>, <c>.p12</c>).</summary>
    public string CertificatePath { get; set; } = "";

    /// <summary>The PEM private key; empty when it is in <see cref="CertificatePath"/> or the file is a PFX.</summary>
    public string KeyPath { get; set; } = "";

    /// <summary>The PFX's password.</summary>
    [Orleans.Redact]
    public string Password { get; set; } = "";

    public bool IsOn => CertificatePath.Length > 0;
}
