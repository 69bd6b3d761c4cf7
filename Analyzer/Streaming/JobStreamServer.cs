using System.Net.Sockets;
using Focus.Analyzer.Pipeline;
using Microsoft.AspNetCore.Connections;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.Extensions.Logging;

namespace Focus.Analyzer.Streaming;

/// <summary>
/// One job's gRPC endpoint: a Kestrel server on the job's port (HTTP/2 cleartext only) running the shared
/// pipeline of a <see cref="JobStreamServerFactory{TService}"/> over the job's <see cref="JobStreams"/>.
/// </summary>
public sealed partial class JobStreamServer : IAsyncDisposable
{
    /// <summary>How long stopping waits for calls to send their status before connections are cut.</summary>
    public static readonly TimeSpan StopGrace = TimeSpan.FromSeconds(1);

    private readonly KestrelServer _server;
    private readonly IReadOnlyList<System.Diagnostics.Metrics.Meter> _meters;
    private readonly ILogger _logger;
    private readonly Lock _gate = new();
    private Task? _stopped;

    internal JobStreamServer(KestrelServer server, IReadOnlyList<System.Diagnostics.Metrics.Meter> meters, JobStreams streams, int port, ILogger logger)
    {
        _server = server;
        _meters = meters;
        Streams = streams;
        Port = port;
        _logger = logger;
    }

    public JobStreams Streams { get; }

    public int Port { get; }

    /// <summary>
    /// Ends every call with the status of <paramref name="end"/>, then stops Kestrel, giving calls
    /// <see cref="StopGrace"/> to receive their status; the port is free when this completes. Idempotent.
    /// </summary>
    public Task StopAsync(JobEnd end)
    {
        Streams.Complete(end);
        lock (_gate) return _stopped ??= StopCoreAsync();
    }

    private async Task StopCoreAsync()
    {
        using var grace = new CancellationTokenSource(StopGrace);
        try
        {
            await _server.StopAsync(grace.Token);
        }
        catch (OperationCanceledException)
        {
            // grace over: Kestrel has cut the remaining connections
        }
        _server.Dispose();
        foreach (var meter in _meters) meter.Dispose(); // Kestrel's own, made for this server only (KestrelMeters)
        using var scope = _logger.BeginScope(new JobLogScope(Streams.JobId));
        LogStopped(_logger, Port, Streams.End?.Kind);
    }

    public ValueTask DisposeAsync() =>
        new(StopAsync(new JobEnd(JobEndKind.Cancelled, "stream server disposed")));

    internal static bool IsAddressInUse(Exception? ex)
    {
        for (; ex is not null; ex = ex.InnerException)
            if (ex is AddressInUseException or SocketException { SocketErrorCode: SocketError.AddressAlreadyInUse })
                return true;
        return false;
    }
}
