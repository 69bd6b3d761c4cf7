using System.Net.Security;
using System.Net.Sockets;
using System.Security.Cryptography.X509Certificates;
using Focus.IntegrationTests.Infrastructure;
using Focus.IntegrationTests.Live;

namespace Focus.IntegrationTests.Tls;

/// <summary>
/// A renewed certificate is served without a restart: REST (Kestrel watches the configured files) on the next
/// connection, the job ports by every job started after the files changed. A class fixture is this class's own
/// service, so renewing its certificate disturbs no other test.
/// </summary>
public sealed class TlsReloadTests(TlsService service) : IClassFixture<TlsService>
{
    [Fact]
    public async Task A_renewed_certificate_is_served_on_rest_and_new_job_ports_without_a_restart()
    {
        var host = service.BaseAddress.Host;
        var before = await PresentedSerial(host, service.BaseAddress.Port);

        var renewed = service.Certificates.Reissue();
        Assert.NotEqual(before, renewed);

        await TestBroker.Eventually(async () => await PresentedSerial(host, service.BaseAddress.Port) == renewed,
            "REST presents the renewed certificate", TimeSpan.FromSeconds(30));

        var job = await service.Http.Configure(FocusApi.LiveBody(min: 12, max: 12, view: 1, nfft: 1024));
        var jobId = (string)job["job_id"]!;
        try
        {
            Assert.Equal(renewed, await PresentedSerial((string)job["stream_url"]!, (int)job["stream_port"]!));
        }
        finally
        {
            await service.Http.Delete(jobId);
        }
    }

    /// <summary>The serial of the certificate a TLS handshake with host:port is answered with, trusting the test CA.</summary>
    private async Task<string> PresentedSerial(string host, int port)
    {
        using var tcp = new TcpClient();
        await tcp.ConnectAsync(host, port);
        string? serial = null;
        await using var tls = new SslStream(tcp.GetStream(), leaveInnerStreamOpen: false, (_, certificate, _, _) =>
        {
            serial = (certificate as X509Certificate2 ?? X509CertificateLoader.LoadCertificate(certificate!.GetRawCertData())).SerialNumber;
            return true;
        });
        await tls.AuthenticateAsClientAsync(new SslClientAuthenticationOptions { TargetHost = "localhost" }).WaitAsync(FocusApi.Deadline);
        return serial!;
    }
}
