using System.Net.Security;
using System.Security.Cryptography.X509Certificates;
using Microsoft.Extensions.Options;

namespace Focus.Gateway.Streaming;

/// <summary>
/// How the relay trusts a job's TLS port: the system's roots, or only the CA of <see cref="ViewerOptions.StreamCaPath"/>
/// (a site's own CA). The host name is always checked.
/// </summary>
public sealed class StreamTrust
{
    private readonly X509Certificate2? _ca;

    public StreamTrust(IOptions<ViewerOptions> options)
    {
        var path = options.Value.StreamCaPath;
        if (path.Length > 0) _ca = X509Certificate2.CreateFromPem(File.ReadAllText(path)); // the CA alone, no key
    }

    public SslClientAuthenticationOptions ClientOptions() => new()
    {
        RemoteCertificateValidationCallback = _ca is null ? null : ValidateAgainstCa,
    };

    private bool ValidateAgainstCa(object sender, X509Certificate? certificate, X509Chain? chain, SslPolicyErrors errors)
    {
        if (certificate is null || errors.HasFlag(SslPolicyErrors.RemoteCertificateNameMismatch) || errors.HasFlag(SslPolicyErrors.RemoteCertificateNotAvailable))
            return false;
        using var custom = new X509Chain();
        custom.ChainPolicy.TrustMode = X509ChainTrustMode.CustomRootTrust;
        custom.ChainPolicy.CustomTrustStore.Add(_ca!);
        custom.ChainPolicy.RevocationMode = X509RevocationMode.NoCheck;
        return custom.Build(certificate as X509Certificate2 ?? X509CertificateLoader.LoadCertificate(certificate.GetRawCertData()));
    }
}
