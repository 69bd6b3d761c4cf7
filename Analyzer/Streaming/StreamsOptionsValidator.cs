using System.Net;
using Microsoft.Extensions.Options;

namespace Focus.Analyzer.Streaming;

internal sealed class StreamsOptionsValidator : IValidateOptions<StreamsOptions>
{
    public ValidateOptionsResult Validate(string? name, StreamsOptions options)
    {
        const string s = StreamsOptions.Section;
        var errors = new List<string>();
        if (string.IsNullOrWhiteSpace(options.Host))
            errors.Add($"{s}:Host is empty; use the host name or address clients reach the streams at.");
        if (!StreamsOptions.TryParsePortRange(options.PortRange, out _, out _))
            errors.Add($"{s}:PortRange is '{options.PortRange}'; use 'first-last' with 1 <= first <= last <= 65535, e.g. '50051-50450'.");
        if (!IPAddress.TryParse(options.BindAddress, out _))
            errors.Add($"{s}:BindAddress is '{options.BindAddress}'; use an IP address such as 0.0.0.0 or 127.0.0.1.");
        if (options.ReaderBufferMessages is < 1 or > 100_000)
            errors.Add($"{s}:ReaderBufferMessages is {options.ReaderBufferMessages}; use 1..100000.");
        if (options.KeepAlivePing <= TimeSpan.Zero)
            errors.Add($"{s}:KeepAlivePing is {options.KeepAlivePing}; use a positive time such as 00:00:30.");
        if (options.Tls.IsOn && !File.Exists(options.Tls.CertificatePath))
            errors.Add($"{s}:Tls:CertificatePath is '{options.Tls.CertificatePath}', which is not a file.");
        if (options.Tls.KeyPath.Length > 0 && (!options.Tls.IsOn || !File.Exists(options.Tls.KeyPath)))
            errors.Add($"{s}:Tls:KeyPath is '{options.Tls.KeyPath}'; it needs Tls:CertificatePath and must be a file.");
        return errors.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(errors);
    }
}
