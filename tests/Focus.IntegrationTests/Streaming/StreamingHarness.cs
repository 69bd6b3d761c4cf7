using System.Net;
using System.Net.Sockets;
using Focus.Analyzer.Hosting;
using Focus.Analyzer.Pipeline;
using Focus.Analyzer.Sources;
using Focus.Analyzer.Spectral;
using Focus.Analyzer.Streaming.Protos;
using Grpc.Core;
using Grpc.Net.Client;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;

namespace Focus.IntegrationTests.Streaming;

/// <summary>
/// An analyzer host wired like the silo (AddFocusAnalyzer) over a test source and a counting engine,
/// binding loopback; each test makes its own and disposes it (which stops its jobs).
/// </summary>
internal sealed class StreamingHarness : IAsyncDisposable
{
    public static readonly TimeSpan Deadline = TimeSpan.FromSeconds(10);

    public const int Prr = 2048;

    private readonly ServiceProvider _services;
    private readonly List<GrpcChannel> _channels = [];

    public StreamingHarness(ILiveSource source, int readerBufferMessages = 64)
    {
        Source = source;
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["Focus:Streams:BindAddress"] = "127.0.0.1",
            ["Focus:Streams:ReaderBufferMessages"] = readerBufferMessages.ToString(System.Globalization.CultureInfo.InvariantCulture),
        }).Build();
        var services = new ServiceCollection();
        services.AddLogging();
        services.AddFocusAnalyzer(configuration);
        services.AddSingleton<ISpectrogramEngine>(Engine);
        services.AddSingleton(source);
        _services = services.BuildServiceProvider(new ServiceProviderOptions { ValidateOnBuild = true, ValidateScopes = true });
        Host = _services.GetRequiredService<IAnalyzerHost>();
    }

    public CountingEngine Engine { get; } = new();

    public ILiveSource Source { get; }

    public IAnalyzerHost Host { get; }

    public IServiceProvider Services => _services;

    /// <summary>A MULTICHANNEL (or SINGLECHANNEL when min == max) job starting now.</summary>
    public static PipelineSpec Spectrogram(int channelMin, int channelMax, int nfft = 256, int hop = 64,
        int firstBin = 0, int? binCount = null, string jobId = "17", int? numericJobId = 17) => new()
    {
        JobId = jobId,
        IsWaterfall = false,
        ChannelMin = channelMin,
        ChannelMax = channelMax,
        Prr = Prr,
        Hop = hop,
        Nfft = nfft,
        FirstBin = firstBin,
        BinCount = binCount ?? nfft / 2 + 1 - firstBin,
        StreamAmount = channelMax - channelMin + 1,
        StartSampleIndex = DateTimeOffset.UtcNow.ToUnixTimeMilliseconds() * Prr / 1000,
        NumericJobId = numericJobId,
    };

    public static PipelineSpec Waterfall(int channelMin, int channelMax, int hop, string jobId = "wf-1") => new()
    {
        JobId = jobId,
        IsWaterfall = true,
        ChannelMin = channelMin,
        ChannelMax = channelMax,
        Prr = Prr,
        Hop = hop,
        Nfft = hop,
        FirstBin = 0,
        BinCount = 0,
        StreamAmount = 1,
        StartSampleIndex = DateTimeOffset.UtcNow.ToUnixTimeMilliseconds() * Prr / 1000,
    };

    public static int FreePort()
    {
        var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        var port = ((IPEndPoint)listener.LocalEndpoint).Port;
        listener.Stop();
        return port;
    }

    public Task<IAnalyzerJob> StartAsync(PipelineSpec spec, int? port = null) =>
        Host.StartAsync(spec, port ?? FreePort(), CancellationToken.None).WaitAsync(Deadline);

    public GrpcChannel Channel(int port)
    {
        var channel = GrpcChannel.ForAddress($"http://127.0.0.1:{port}");
        _channels.Add(channel);
        return channel;
    }

    public DataStreamService.DataStreamServiceClient Client(int port) => new(Channel(port));

    public static async Task<DataStream> NextAsync(AsyncServerStreamingCall<DataStream> call)
    {
        Assert.True(await call.ResponseStream.MoveNext(CancellationToken.None).WaitAsync(Deadline), "stream ended early");
        return call.ResponseStream.Current;
    }

    /// <summary>Reads until the call ends; its RpcException (if any) propagates.</summary>
    public static async Task<int> ReadToEndAsync(AsyncServerStreamingCall<DataStream> call)
    {
        var messages = 0;
        while (await call.ResponseStream.MoveNext(CancellationToken.None)) messages++;
        return messages;
    }

    /// <summary>Awaits <paramref name="condition"/> (polled) for at most <see cref="Deadline"/>.</summary>
    public static Task EventuallyAsync(Func<bool> condition, string what) =>
        Infrastructure.Polling.Eventually(condition, what, Deadline, TimeSpan.FromMilliseconds(20));

    public static bool PortIsFree(int port)
    {
        try
        {
            var listener = new TcpListener(IPAddress.Loopback, port);
            listener.Start();
            listener.Stop();
            return true;
        }
        catch (SocketException)
        {
            return false;
        }
    }

    public async ValueTask DisposeAsync()
    {
        foreach (var channel in _channels) channel.Dispose();
        await _services.DisposeAsync().AsTask().WaitAsync(Deadline);
    }
}
