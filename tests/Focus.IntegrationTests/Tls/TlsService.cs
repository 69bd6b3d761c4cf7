using Focus.IntegrationTests.Infrastructure;

namespace Focus.IntegrationTests.Tls;

/// <summary>REST on https (Kestrel's certificate from configuration) and jobs' ports on TLS, both from a test CA.</summary>
public sealed class TlsService : FocusService
{
    public TlsService() : this(new TestCertificates()) { }

    private TlsService(TestCertificates certificates) : base(new Dictionary<string, string?>
    {
        ["Urls"] = "https://127.0.0.1:0",
        ["Kestrel:Certificates:Default:Path"] = certificates.CertificatePath,
        ["Kestrel:Certificates:Default:KeyPath"] = certificates.KeyPath,
        ["Focus:Streams:Tls:CertificatePath"] = certificates.CertificatePath,
        ["Focus:Streams:Tls:KeyPath"] = certificates.KeyPath,
        ["Focus:Viewer:StreamCaPath"] = certificates.CaPath,
    })
    {
        Certificates = certificates;
    }

    public TestCertificates Certificates { get; }

    protected override HttpMessageHandler CreateHandler() => Certificates.TrustingHandler();

    public override async Task DisposeAsync()
    {
        await base.DisposeAsync();
        Certificates.Dispose();
    }
}
