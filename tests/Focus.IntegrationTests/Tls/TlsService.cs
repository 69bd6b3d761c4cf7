using Focus.IntegrationTests.Auth;
using Focus.IntegrationTests.Infrastructure;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.Logging;

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
        // Kestrel and the job ports at their most talkative about certificates, so a key they might echo would be logged.
        ["Logging:LogLevel:Microsoft.AspNetCore.Server.Kestrel"] = "Debug",
        ["Logging:LogLevel:Focus"] = "Debug",
    })
    {
        Certificates = certificates;
    }

    public TestCertificates Certificates { get; }

    /// <summary>Every line the service logged, to search for the private key.</summary>
    public CapturedLogs Logs { get; } = new();

    protected override void ConfigureBuilder(WebApplicationBuilder builder) => builder.Logging.AddProvider(Logs);

    protected override HttpMessageHandler CreateHandler() => Certificates.TrustingHandler();

    public override async Task DisposeAsync()
    {
        await base.DisposeAsync();
        Certificates.Dispose();
    }
}
