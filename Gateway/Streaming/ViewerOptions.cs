namespace Focus.Gateway.Streaming;

/// <summary><c>Focus:Viewer</c>: the browser viewer and its gRPC-Web relay.</summary>
public sealed class ViewerOptions
{
    public const string Section = "Focus:Viewer";

    /// <summary>
    /// Messages per relayed stream the relay holds for one browser call before it drops the oldest
    /// (the browser then sees a <c>row_index</c> jump, as a slow gRPC client of the job's own port
    /// would). 128 messages are about 2.5 s at 100 lines/s; a call on every stream of a job holds
    /// this many per stream.
    /// </summary>
    public int RelayBufferMessages { get; set; } = 128;

    /// <summary>Bytes the relay holds for one browser call, all streams together; over it the oldest messages drop.</summary>
    public long RelayBufferBytes { get; set; } = 32L * 1024 * 1024;

    /// <summary>Relay calls one job may have open at once (each is one more reader of every stream it asks for).</summary>
    public int RelayCallsPerJob { get; set; } = 32;

    /// <summary>Relay calls one client (identity, or remote address) may have open at once, over all jobs.</summary>
    public int RelayCallsPerClient { get; set; } = 32;

    /// <summary>How long the relay waits for a job's stream to accept the call.</summary>
    public TimeSpan RelayConnectTimeout { get; set; } = TimeSpan.FromSeconds(5);

    /// <summary>
    /// The PEM certificate of the CA that signed jobs' TLS certificates (<c>Focus:Streams:Tls</c>), when the system
    /// does not trust it; empty: the system's trust.
    /// </summary>
    public string StreamCaPath { get; set; } = "";
}
