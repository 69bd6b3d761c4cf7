using Focus.Grains.Security;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Options;

namespace Focus.Gateway.Security;

/// <summary>
/// REST on https serves <c>Kestrel:Certificates:Default</c> through a selector that reads the files again when they
/// change. Kestrel's own reload rebinds only endpoints listed under <c>Kestrel:Endpoints</c>, not those from
/// <c>Urls</c> (and a rebind of port 0 would move the port): renewing the files is enough, no restart.
/// </summary>
public sealed class RestCertificateRenewal(IConfiguration configuration) : IConfigureOptions<KestrelServerOptions>
{
    public void Configure(KestrelServerOptions options)
    {
        var files = configuration.GetSection("Kestrel:Certificates:Default");
        var path = files["Path"];
        if (string.IsNullOrEmpty(path)) return; // the development certificate or none: nothing on disk to renew
        var certificate = new RenewableCertificate(path, files["KeyPath"] ?? "", files["Password"] ?? "");
        options.ConfigureHttpsDefaults(https => https.ServerCertificateSelector = (_, _) => certificate.Current());
    }
}
