using System.Diagnostics;
using System.Net;
using Focus.Analyzer.Pipeline;
using Focus.Analyzer.Streaming.Protos;
using Focus.Grains.Security;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.AspNetCore.Server.Kestrel.Transport.Sockets;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Focus.Analyzer.Streaming;

/// <summary>
/// Starts jobs' <see cref="JobStreamServer"/>s serving <typeparamref name="TService"/>. What does not depend on the
/// job is built once per process here: the services of gRPC and routing, the request pipeline (the service and
/// server reflection), the socket transport, the logging. A job's server is then only a <see cref="KestrelServer"/>
/// bound to the job's port, which hands each call the job's features (its <see cref="JobStreams"/>, …). A full
/// host per job cost 4–7 ms of CPU, much of it JIT of code generated per service provider (see docs/DECISIONS.md).
/// </summary>
public sealed class JobStreamServerFactory<TService> : IAsyncDisposable
    where TService : DataStreamService.DataStreamServiceBase
{
    private readonly ServiceProvider _services;
    private readonly RequestDelegate _pipeline;
    private readonly IHttpContextFactory _contexts;
    private readonly SocketTransportFactory _transport;
    private readonly ILoggerFactory _serverLoggers;
    private readonly ILogger _logger;
    private readonly IOptions<StreamsOptions> _options;
    private readonly RenewableCertificate? _certificate;

    /// <param name="auth">With auth on, calls need the job's stream token (<see cref="StreamTokenInterceptor"/>) and
    /// reflection is off unless <see cref="StreamsOptions.Reflection"/> says otherwise; null: auth off.</param>
    public JobStreamServerFactory(IOptions<StreamsOptions> options, ILoggerFactory loggerFactory,
        IOptions<AuthOptions>? auth = null, TimeProvider? clock = null)
    {
        var access = auth?.Value ?? new AuthOptions();
        var reflection = options.Value.Reflection ?? !access.IsOn;
        _options = options;
        if (options.Value.Tls.IsOn) _certificate = new RenewableCertificate(options.Value.Tls.CertificatePath, options.Value.Tls.KeyPath, options.Value.Tls.Password);
        _serverLoggers = new JobServerLoggerFactory(loggerFactory);
        _logger = loggerFactory.CreateLogger<JobStreamServer>();

        var services = new ServiceCollection();
        services.AddSingleton(_serverLoggers);
        services.AddSingleton(typeof(ILogger<>), typeof(Logger<>));
        services.AddSingleton(new DiagnosticListener(typeof(JobStreamServer).FullName!)); // routing writes to it
        services.AddRoutingCore();
        if (access.IsOn)
        {
            services.AddSingleton(new StreamTokens(access.StreamTokens, clock ?? TimeProvider.System));
            services.AddGrpc(o => o.Interceptors.Add<StreamTokenInterceptor>());
        }
        else
        {
            services.AddGrpc();
        }
        if (reflection) services.AddGrpcReflection();
        _services = services.BuildServiceProvider(new ServiceProviderOptions { ValidateOnBuild = true });

        var app = new ApplicationBuilder(_services);
        app.UseRouting();
        app.UseEndpoints(endpoints =>
        {
            endpoints.MapGrpcService<TService>();
            if (reflection) endpoints.MapGrpcReflectionService();
        });
        _pipeline = app.Build();
        _contexts = new DefaultHttpContextFactory(_services);
        _transport = new SocketTransportFactory(Options.Create(new SocketTransportOptions()), _serverLoggers);
    }

    /// <summary>
    /// Binds <paramref name="port"/> and starts serving the job; when this returns the port accepts calls.
    /// Each call finds <paramref name="streams"/>, and whatever <paramref name="features"/> adds, in
    /// <c>HttpContext.Features</c>. Throws <see cref="StreamPortUnavailableException"/> when the port is taken
    /// (nothing keeps running).
    /// </summary>
    public async Task<JobStreamServer> StartAsync(
        JobStreams streams, int port, Action<IFeatureCollection>? features, CancellationToken cancellationToken)
    {
        var settings = _options.Value;
        var bindAddress = IPAddress.Parse(settings.BindAddress);
        var kestrel = new KestrelServerOptions { AddServerHeader = false, ApplicationServices = _services };
        var certificate = _certificate?.Current();
        // TLS is our connection middleware, so Kestrel sees a cleartext listener; let clients say https.
        kestrel.AllowAlternateSchemes = certificate is not null;
        kestrel.Listen(bindAddress, port, listen =>
        {
            listen.Protocols = HttpProtocols.Http2;
            if (certificate is not null) listen.Use(StreamTlsConnection.Middleware(certificate));
        });
        kestrel.Limits.Http2.KeepAlivePingDelay = settings.KeepAlivePing;
        kestrel.Limits.Http2.KeepAlivePingTimeout = settings.KeepAlivePing;

        var job = new FeatureCollection();
        job.Set(streams);
        features?.Invoke(job);

        using var scope = _logger.BeginScope(new JobLogScope(streams.JobId));
        var (server, meters) = KestrelMeters.Catch(() => new KestrelServer(Options.Create(kestrel), _transport, _serverLoggers));
        try
        {
            await server.StartAsync(new JobHttpApplication(_pipeline, _contexts, job), cancellationToken);
        }
        catch (Exception ex)
        {
            server.Dispose();
            foreach (var meter in meters) meter.Dispose();
            if (JobStreamServer.IsAddressInUse(ex))
            {
                JobStreamServer.LogPortInUse(_logger, port);
                throw new StreamPortUnavailableException(port, ex);
            }
            throw;
        }
        JobStreamServer.LogStarted(_logger, bindAddress, port, streams.Count);
        return new JobStreamServer(server, meters, streams, port, _logger);
    }

    public ValueTask DisposeAsync() => _services.DisposeAsync();
}
