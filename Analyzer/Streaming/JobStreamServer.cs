using System.Net;
using System.Net.Sockets;
using Focus.Analyzer.Pipeline;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Connections;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace Focus.Analyzer.Streaming;

/// <summary>
/// One job's gRPC endpoint: a small Kestrel host on the job's port (HTTP/2 cleartext only) serving
/// <see cref="JobDataStreamService"/> over the job's <see cref="JobStreams"/>, plus server reflection.
/// It logs through the parent's logger factory (no console of its own).
/// </summary>
public sealed partial class JobStreamServer : IAsyncDisposable
{
    /// <summary>How long stopping waits for calls to send their status before connections are cut.</summary>
    public static readonly TimeSpan StopGrace = TimeSpan.FromSeconds(1);

    private readonly WebApplication _app;
    private readonly ILogger _logger;
    private readonly Lock _gate = new();
    private Task? _stopped;

    private JobStreamServer(WebApplication app, JobStreams streams, int port, ILogger logger)
    {
        _app = app;
        Streams = streams;
        Port = port;
        _logger = logger;
    }

    public JobStreams Streams { get; }

    public int Port { get; }

    /// <summary>
    /// Binds <paramref name="port"/> and starts serving; when this returns the port accepts calls.
    /// Throws <see cref="StreamPortUnavailableException"/> when the port is taken (nothing keeps running).
    /// </summary>
    public static async Task<JobStreamServer> StartAsync(
        JobStreams streams, StreamsOptions options, int port, ILoggerFactory loggerFactory,
        CancellationToken cancellationToken)
    {
        var bindAddress = IPAddress.Parse(options.BindAddress);
        var builder = WebApplication.CreateEmptyBuilder(new WebApplicationOptions
        {
            ApplicationName = typeof(JobStreamServer).Assembly.GetName().Name,
            EnvironmentName = Environments.Production,
        });
        builder.WebHost.UseKestrelCore().ConfigureKestrel(kestrel =>
        {
            kestrel.AddServerHeader = false;
            kestrel.Listen(bindAddress, port, listen => listen.Protocols = HttpProtocols.Http2);
            kestrel.Limits.Http2.KeepAlivePingDelay = options.KeepAlivePing;
            kestrel.Limits.Http2.KeepAlivePingTimeout = options.KeepAlivePing;
        });
        var services = builder.Services;
        services.AddSingleton<ILoggerFactory>(new JobServerLoggerFactory(loggerFactory));
        services.AddSingleton<IHostLifetime, EmbeddedHostLifetime>(); // no console/SIGTERM hooks per job
        services.Configure<HostOptions>(host => host.ShutdownTimeout = StopGrace);
        services.AddRoutingCore();
        services.AddGrpc();
        services.AddGrpcReflection();
        services.AddSingleton(streams);

        var app = builder.Build();
        app.MapGrpcService<JobDataStreamService>();
        app.MapGrpcReflectionService();

        var logger = loggerFactory.CreateLogger<JobStreamServer>();
        using var scope = logger.BeginScope(new JobLogScope(streams.JobId));
        try
        {
            await app.StartAsync(cancellationToken);
        }
        catch (Exception ex)
        {
            await app.DisposeAsync();
            if (IsAddressInUse(ex))
            {
                LogPortInUse(logger, port);
                throw new StreamPortUnavailableException(port, ex);
            }
            throw;
        }
        LogStarted(logger, bindAddress, port, streams.Count);
        return new JobStreamServer(app, streams, port, logger);
    }

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
            await _app.StopAsync(grace.Token);
        }
        catch (OperationCanceledException)
        {
            // grace over: Kestrel has cut the remaining connections
        }
        await _app.DisposeAsync();
        using var scope = _logger.BeginScope(new JobLogScope(Streams.JobId));
        LogStopped(_logger, Port, Streams.End?.Kind);
    }

    public ValueTask DisposeAsync() =>
        new(StopAsync(new JobEnd(JobEndKind.Cancelled, "stream server disposed")));

    private static bool IsAddressInUse(Exception? ex)
    {
        for (; ex is not null; ex = ex.InnerException)
            if (ex is AddressInUseException or SocketException { SocketErrorCode: SocketError.AddressAlreadyInUse })
                return true;
        return false;
    }

    /// <summary>A host lifetime that neither waits for nor listens to the console: the job's owner stops it.</summary>
    private sealed class EmbeddedHostLifetime : IHostLifetime
    {
        public Task WaitForStartAsync(CancellationToken cancellationToken) => Task.CompletedTask;

        public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
    }
}
