using Focus.Analyzer.Sources.Simulated;
using Focus.Grains.Fiber;

namespace Focus.Silo.Live;

/// <summary>
/// Plays the interrogator's <c>Prpcast.Info</c> for the built-in simulator: tells the
/// <see cref="IMetadataGrain"/> about the simulated fiber at start and every second.
/// </summary>
internal sealed partial class SimulatorMetadataPublisher(
    SimulatedLiveSource simulator,
    IGrainFactory grains,
    SiloFiber siloFiber,
    TimeProvider clock,
    ILogger<SimulatorMetadataPublisher> logger) : BackgroundService
{
    private static readonly TimeSpan Interval = TimeSpan.FromSeconds(1);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var announced = false;
        using var timer = new PeriodicTimer(Interval, clock);
        do
        {
            try
            {
                await siloFiber.Publish(grains, ToFiberMetadata(simulator.Metadata, clock.GetUtcNow()));
                if (!announced) LogAnnounced(simulator.Metadata.NumberOfChannels, simulator.Metadata.Prr);
                announced = true;
            }
            catch (Exception ex) when (!stoppingToken.IsCancellationRequested)
            {
                // The silo may still be starting or already stopping; the next tick tries again.
                LogUpdateFailed(ex);
            }
        }
        while (await WaitNext(timer, stoppingToken));
    }

    private static async Task<bool> WaitNext(PeriodicTimer timer, CancellationToken token)
    {
        try
        {
            return await timer.WaitForNextTickAsync(token);
        }
        catch (OperationCanceledException)
        {
            return false;
        }
    }

    internal static FiberMetadata ToFiberMetadata(SimulatedFiberMetadata m, DateTimeOffset receivedAt) => new()
    {
        Prr = m.Prr,
        NumberOfChannels = m.NumberOfChannels,
        Dx = m.Dx,
        FiberStartMeters = m.FiberStartMeters,
        FiberLengthMeters = m.FiberLengthMeters,
        SwVersion = m.SwVersion,
        FiberDescription = m.FiberDescription,
        InterrogatorId = m.InterrogatorId,
        BlockSize = m.BlockSize,
        NumSamplesPerTrace = m.NumSamplesPerTrace,
        ReceivedAt = receivedAt,
    };

    [LoggerMessage(1, LogLevel.Information, "Simulated fiber announced: {Channels} channels at {Prr} Hz")]
    private partial void LogAnnounced(int channels, double prr);

    [LoggerMessage(2, LogLevel.Warning, "Could not update the fiber metadata")]
    private partial void LogUpdateFailed(Exception exception);
}
