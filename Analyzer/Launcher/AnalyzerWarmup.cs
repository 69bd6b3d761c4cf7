using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using Focus.Analyzer.Historic;
using Focus.Analyzer.Pipeline;
using Focus.Analyzer.Sources.Simulated;
using Focus.Analyzer.Spectral;
using Focus.Analyzer.Streaming;
using Focus.Analyzer.Streaming.Protos;
using Grpc.Net.Client;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;

namespace Focus.Analyzer.Launcher;

/// <summary>
/// What a spare analyzer process does before it says <c>ready</c>: runs two short jobs (a spectrogram and a waterfall)
/// end to end on a loopback port — Kestrel and gRPC start, the simulator feeds the engine and the pipeline, a gRPC
/// client reads a few messages, the server stops — so the job it later takes finds that code already compiled by the
/// JIT. It reads the built-in simulator (never the broker, where it would declare a queue); its jobs log nothing.
/// </summary>
internal sealed partial class AnalyzerWarmup(
    ISpectrogramEngine engine,
    ComputeGate computeGate,
    IOptions<StreamsOptions> streams,
    StreamInstruments instruments,
    TimeProvider clock,
    HistoricAnalyzerHost historic,
    ILogger<AnalyzerWarmup> logger,
    SimulatedLiveSource? simulator = null)
{
    /// <summary>A warm-up that takes longer is given up (the spare is then ready, only less warm).</summary>
    public static readonly TimeSpan Limit = TimeSpan.FromSeconds(30);

    private const int MessagesRead = 2;

    public async Task<TimeSpan> RunAsync(CancellationToken cancellationToken)
    {
        var started = Stopwatch.GetTimestamp();
        using var limit = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        limit.CancelAfter(Limit);
        try
        {
            var source = simulator ?? new SimulatedLiveSource(new SimulatorOptions(), clock);
            var o = streams.Value;
            var loopback = Options.Create(new StreamsOptions
            {
                BindAddress = IPAddress.Loopback.ToString(),
                ReaderBufferMessages = o.ReaderBufferMessages,
                KeepAlivePing = o.KeepAlivePing,
            });
            // Its own server factory on loopback: nothing of the warm-up listens beyond this machine.
            await using var servers = new JobStreamServerFactory<JobDataStreamService>(loopback, NullLoggerFactory.Instance);
            await using var host = new AnalyzerHost(engine, source, computeGate, loopback, servers, instruments, clock, NullLoggerFactory.Instance, historic);
            var lastChannel = Math.Min(2, source.Fiber.Channels);
            await RunJobAsync(host, Spectrogram(source, lastChannel), limit.Token);
            await RunJobAsync(host, Waterfall(source, lastChannel), limit.Token);
        }
        catch (Exception ex) when (!cancellationToken.IsCancellationRequested)
        {
            LogWarmupFailed(ex);
        }
        var took = Stopwatch.GetElapsedTime(started);
        LogWarmedUp(took.TotalMilliseconds);
        return took;
    }

    private static async Task RunJobAsync(AnalyzerHost host, PipelineSpec spec, CancellationToken cancellationToken)
    {
        // The protocol's own lines too: a start like the silo's, a progress report like the job's.
        var start = LauncherProtocol.Write(new LauncherCommand { Command = LauncherCommand.Start, Spec = spec, Port = 1 });
        _ = LauncherProtocol.TryReadCommand(start, out _, out _);

        var job = await StartOnFreePortAsync(host, spec, cancellationToken);
        try
        {
            using var channel = GrpcChannel.ForAddress($"http://{IPAddress.Loopback}:{job.Port}");
            using var call = new DataStreamService.DataStreamServiceClient(channel)
                .StreamData(new StreamDataRequest { StreamId = 0 }, cancellationToken: cancellationToken);
            for (var i = 0; i < MessagesRead && await call.ResponseStream.MoveNext(cancellationToken); i++) { }
            _ = LauncherProtocol.Write(new LauncherEvent { Event = LauncherEvent.Progress, Snapshot = job.Progress });
        }
        finally
        {
            await job.StopAsync(new JobEnd(JobEndKind.Cancelled, "warm-up done"));
        }
    }

    private static async Task<IAnalyzerJob> StartOnFreePortAsync(AnalyzerHost host, PipelineSpec spec, CancellationToken cancellationToken)
    {
        for (var attempt = 1; ; attempt++)
        {
            try
            {
                return await host.StartAsync(spec, FreeLoopbackPort(), cancellationToken);
            }
            catch (StreamPortUnavailableException) when (attempt < 3)
            {
                // taken between the probe and the bind: another one
            }
        }
    }

    private static int FreeLoopbackPort()
    {
        using var probe = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        probe.Bind(new IPEndPoint(IPAddress.Loopback, 0));
        return ((IPEndPoint)probe.LocalEndPoint!).Port;
    }

    /// <summary>Starts where the source's backlog begins, so lines come at once rather than at the live pace.</summary>
    private static PipelineSpec Spectrogram(SimulatedLiveSource source, int lastChannel) => new()
    {
        JobId = "warmup-spectrogram",
        IsWaterfall = false,
        ChannelMin = 1,
        ChannelMax = lastChannel,
        Prr = source.Prr,
        Hop = 64,
        Nfft = 256,
        FirstBin = 0,
        BinCount = 129,
        StreamAmount = lastChannel,
        StartSampleIndex = source.OldestSampleIndex(),
    };

    private static PipelineSpec Waterfall(SimulatedLiveSource source, int lastChannel) => new()
    {
        JobId = "warmup-waterfall",
        IsWaterfall = true,
        ChannelMin = 1,
        ChannelMax = lastChannel,
        Prr = source.Prr,
        Hop = 20,
        Nfft = 20,
        FirstBin = 0,
        BinCount = 0,
        StreamAmount = 1,
        StartSampleIndex = source.OldestSampleIndex(),
    };

    [LoggerMessage(1, LogLevel.Warning, "Warm-up failed; the spare is ready anyway, only less warm")]
    private partial void LogWarmupFailed(Exception exception);

    [LoggerMessage(2, LogLevel.Debug, "Warmed up in {Milliseconds:0} ms")]
    private partial void LogWarmedUp(double milliseconds);
}
