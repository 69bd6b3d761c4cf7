using Focus.Analyzer.Sources.RabbitMq;
using Focus.Analyzer.Sources.Simulated;
using Focus.IntegrationTests.Infrastructure;

namespace Focus.IntegrationTests.Live;

/// <summary>
/// The single-node service with <c>Focus:Live:Source=rabbitmq</c> on the test broker, fed by an in-process
/// <see cref="SimulatedLiveRecorder"/>: 256 channels (4 blocks of 64) at 2000 Hz, 100 ms chunks, a 125 Hz tone on
/// channels 60..70 (across blocks 0 and 1). Job queues are capped at <see cref="MaxQueueBytes"/> (about 2 s of
/// one block), so a slow job's drops show quickly.
/// </summary>
public sealed class LiveService : FocusService
{
    public const long MaxQueueBytes = 1_000_000;
    public const long MaxChunkValues = 1 << 20; // 4,096 samples of the whole fiber per chunk
    public const int Channels = 256;
    public const double ToneHz = 125;
    public const int ToneFirst = 60, ToneLast = 70;

    private readonly CancellationTokenSource _stop = new();
    private Task _recording = Task.CompletedTask;

    public LiveService() : base(new Dictionary<string, string?>
    {
        ["Focus:Live:Source"] = "rabbitmq",
        ["Focus:Live:Broker"] = TestBroker.Uri.ToString(),
        ["Focus:Live:MaxQueueBytes"] = MaxQueueBytes.ToString(),
        ["Focus:Jobs:MaxConcurrent"] = "60",
        ["Focus:Live:Prefetch"] = "8",
        ["Focus:Live:MaxChunkValues"] = MaxChunkValues.ToString(),
    })
    {
    }

    protected override int StreamPorts => 80;

    public SimulatedLiveRecorder Recorder { get; private set; } = null!;

    public static SimulatorOptions FiberOptions() => new()
    {
        Channels = Channels,
        Prr = 2000,
        Seed = 7,
        NoiseLevel = 0.5,
        Tones = [new SimulatorToneOptions { FirstChannel = ToneFirst, LastChannel = ToneLast, FrequencyHz = ToneHz, Amplitude = 20 }],
    };

    public override async Task InitializeAsync()
    {
        Recorder = new SimulatedLiveRecorder(FiberOptions(), TestBroker.Uri, TimeSpan.FromMilliseconds(100), TimeProvider.System);
        _recording = Task.Run(() => Recorder.RunAsync(_stop.Token));
        await base.InitializeAsync(); // ready once the recorder's Prpcast.Info reached /channels
    }

    public override async Task DisposeAsync()
    {
        await base.DisposeAsync();
        _stop.Cancel();
        try
        {
            await _recording;
        }
        catch (OperationCanceledException)
        {
        }
        await Recorder.DisposeAsync();
    }
}

/// <summary>Every test on the broker runs in this one collection, one after another (one restarts the broker).</summary>
[CollectionDefinition(Name)]
public sealed class LiveCollection : ICollectionFixture<LiveService>
{
    public const string Name = "live";
}
