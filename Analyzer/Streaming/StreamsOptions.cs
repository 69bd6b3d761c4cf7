using System.Globalization;

namespace Focus.Analyzer.Streaming;

/// <summary>Where and how jobs' gRPC data streams listen (section <c>Focus:Streams</c>).</summary>
public sealed class StreamsOptions
{
    public const string Section = "Focus:Streams";

    /// <summary>The <c>stream_url</c> clients are told to call.</summary>
    public string Host { get; set; } = "127.0.0.1";

    /// <summary>Ports jobs' streams may use, <c>first-last</c> inclusive.</summary>
    public string PortRange { get; set; } = "50051-50450";

    /// <summary>Address the per-job servers bind (<c>0.0.0.0</c>: every interface; <c>127.0.0.1</c>: loopback only).</summary>
    public string BindAddress { get; set; } = "0.0.0.0";

    /// <summary>Messages one call may have waiting before its oldest is dropped.</summary>
    public int ReaderBufferMessages { get; set; } = 64;

    /// <summary>HTTP/2 keepalive ping interval (and timeout) that detects dead clients.</summary>
    public TimeSpan KeepAlivePing { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>
    /// gRPC server reflection on jobs' ports (<c>grpcurl list</c>); unset: on with <c>Focus:Auth:Mode=none</c>, as
    /// always, and off with auth on, where it would tell anyone who reaches a port what it serves.
    /// </summary>
    public bool? Reflection { get; set; }

    /// <summary>TLS on jobs' ports (<c>Focus:Streams:Tls</c>); off unless a certificate is configured.</summary>
    public StreamTlsOptions Tls { get; set; } = new();

    /// <summary>Parses <c>first-last</c> (1 &lt;= first &lt;= last &lt;= 65535).</summary>
    public static bool TryParsePortRange(string? text, out int first, out int last)
    {
        first = last = 0;
        var parts = text?.Split('-', StringSplitOptions.TrimEntries);
        return parts is [var a, var b]
            && int.TryParse(a, NumberStyles.None, CultureInfo.InvariantCulture, out first)
            && int.TryParse(b, NumberStyles.None, CultureInfo.InvariantCulture, out last)
            && first is >= 1 and <= 65535 && last is >= 1 and <= 65535 && first <= last;
    }
}
