using Focus.Analyzer.Sources.RabbitMq;
using Focus.Analyzer.Sources.Simulated;
using Microsoft.Extensions.Configuration;

/// <summary>
/// <c>live</c>: the simulator as the smart recorder, publishing to a RabbitMQ broker until Ctrl+C (or --seconds);
/// prints its publish rate, the share of time spent publishing (broker back-pressure) and lost messages every second.
/// </summary>
internal static class LiveRecorder
{
    public static async Task<int> RunAsync(SimulatorOptions options, IConfiguration configuration)
    {
        var broker = configuration["broker"] ?? Environment.GetEnvironmentVariable("FOCUS_BROKER") ?? "amqp://guest:guest@127.0.0.1:5672/";
        if (!Uri.TryCreate(broker, UriKind.Absolute, out var uri) || uri.Scheme is not ("amqp" or "amqps"))
        {
            Console.Error.WriteLine($"--broker '{broker}' is not an AMQP URI (amqp://user:pass@host:port/).");
            return 2;
        }
        var chunkMs = configuration.GetValue("chunk-ms", 100.0);
        var seconds = configuration.GetValue<double?>("seconds");
        if (!(chunkMs >= 1 && chunkMs <= 10_000) || seconds is <= 0)
        {
            Console.Error.WriteLine("--chunk-ms must be 1..10000 and --seconds positive.");
            return 2;
        }

        using var stop = new CancellationTokenSource();
        Console.CancelKeyPress += (_, e) => { e.Cancel = true; stop.Cancel(); };
        if (seconds is { } s) stop.CancelAfter(TimeSpan.FromSeconds(s));

        await using var recorder = new SimulatedLiveRecorder(options, uri, TimeSpan.FromMilliseconds(chunkMs), TimeProvider.System);
        var fiber = recorder.Fiber;
        double bytesPerSecond = fiber.Channels * fiber.Prr * sizeof(float);
        Console.WriteLine($"recorder: {fiber.Channels} channels at {fiber.Prr} Hz in {recorder.Blocks} blocks of {options.BlockSize}, " +
                          $"{recorder.ChunkSamples} samples per chunk → {recorder.Blocks * 1000 / chunkMs:F0} chunks/s, " +
                          $"{bytesPerSecond / 1e6:F1} MB/s of samples to {uri.Host}:{uri.Port}");
        var run = recorder.RunAsync(stop.Token);
        var previous = recorder.Stats;
        var started = DateTime.UtcNow;
        var last = started;
        while (!run.IsCompleted)
        {
            await Task.WhenAny(run, Task.Delay(1000));
            var now = DateTime.UtcNow;
            var stats = recorder.Stats;
            var dt = (now - last).TotalSeconds;
            if (dt < 0.5) continue;
            Console.WriteLine($"{(now - started).TotalSeconds,6:F0} s  {(stats.Chunks - previous.Chunks) / dt,6:F0} chunks/s  " +
                              $"{(stats.Bytes - previous.Bytes) / dt / 1e6,6:F1} MB/s  publishing {(stats.PublishTime - previous.PublishTime).TotalSeconds / dt,5:P0} of the time  " +
                              $"lost {stats.Lost}  max lateness {stats.MaxLateness.TotalMilliseconds:F0} ms");
            previous = stats;
            last = now;
        }
        try
        {
            await run;
        }
        catch (OperationCanceledException)
        {
        }
        var total = recorder.Stats;
        Console.WriteLine($"published {total.Chunks} chunks ({total.Bytes / 1e6:F1} MB) and {total.Infos} Prpcast.Info; lost {total.Lost}");
        return total.Lost > 0 && total.Chunks == 0 ? 1 : 0;
    }
}
