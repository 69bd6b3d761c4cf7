using System.Net;
using System.Net.Security;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;

namespace Focus.IntegrationTests.Tls;

/// <summary>
/// A test CA and a server certificate it signed for 127.0.0.1, localhost and <see cref="SiteHost"/>, as PEM files in a
/// folder of their own.
/// </summary>
public sealed class TestCertificates : IDisposable
{
    public TestCertificates()
    {
        Folder = Directory.CreateTempSubdirectory("focus-tls-").FullName;
        var now = DateTimeOffset.UtcNow;

        using var caKey = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var caRequest = new CertificateRequest("CN=Focus Test CA", caKey, HashAlgorithmName.SHA256);
        caRequest.CertificateExtensions.Add(new X509BasicConstraintsExtension(true, false, 0, true));
        caRequest.CertificateExtensions.Add(new X509KeyUsageExtension(X509KeyUsageFlags.KeyCertSign | X509KeyUsageFlags.CrlSign, true));
        Ca = caRequest.CreateSelfSigned(now.AddDays(-1), now.AddDays(2));

        File.WriteAllText(CaPath, Ca.ExportCertificatePem());
        Reissue();
    }

    /// <summary>
    /// Signs a new server certificate (new key, new serial) and puts it in place of the old one, each file written
    /// beside its target and moved over it, the way a certificate manager renews it.
    /// </summary>
    /// <returns>The new certificate's serial number.</returns>
    public string Reissue()
    {
        var now = DateTimeOffset.UtcNow;
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var request = new CertificateRequest("CN=127.0.0.1", key, HashAlgorithmName.SHA256);
        var names = new SubjectAlternativeNameBuilder();
        names.AddIpAddress(IPAddress.Loopback);
        names.AddDnsName("localhost");
        names.AddDnsName(SiteHost);
        request.CertificateExtensions.Add(names.Build());
        request.CertificateExtensions.Add(new X509BasicConstraintsExtension(false, false, 0, false));
        request.CertificateExtensions.Add(new X509KeyUsageExtension(X509KeyUsageFlags.DigitalSignature, false));
        request.CertificateExtensions.Add(new X509EnhancedKeyUsageExtension([new System.Security.Cryptography.Oid("1.3.6.1.5.5.7.3.1")], false));
        using var server = request.Create(Ca, now.AddHours(-1), now.AddDays(1), RandomNumberGenerator.GetBytes(8));

        Replace(KeyPath, key.ExportPkcs8PrivateKeyPem());
        Replace(CertificatePath, server.ExportCertificatePem());
        return server.SerialNumber;
    }

    private static void Replace(string path, string contents)
    {
        var written = path + ".new";
        File.WriteAllText(written, contents);
        File.Move(written, path, overwrite: true);
    }

    /// <summary>A name the service is reached by that is not loopback (HSTS is never sent for localhost or 127.0.0.1).</summary>
    public const string SiteHost = "focus.site.test";

    public string Folder { get; }

    public X509Certificate2 Ca { get; }

    public string CaPath => Path.Combine(Folder, "ca.pem");

    public string CertificatePath => Path.Combine(Folder, "server.pem");

    public string KeyPath => Path.Combine(Folder, "server.key");

    /// <summary>A handler that trusts only the test CA, and checks the host name.</summary>
    public HttpClientHandler TrustingHandler() => new()
    {
        ServerCertificateCustomValidationCallback = (_, certificate, _, errors) =>
        {
            if (certificate is null || errors.HasFlag(SslPolicyErrors.RemoteCertificateNameMismatch)) return false;
            using var chain = new X509Chain();
            chain.ChainPolicy.TrustMode = X509ChainTrustMode.CustomRootTrust;
            chain.ChainPolicy.CustomTrustStore.Add(Ca);
            chain.ChainPolicy.RevocationMode = X509RevocationMode.NoCheck;
            return chain.Build(certificate);
        },
    };

    public void Dispose()
    {
        Ca.Dispose();
        Directory.Delete(Folder, recursive: true);
    }
}
