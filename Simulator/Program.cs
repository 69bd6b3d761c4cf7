// focus simulator: shows what the built-in simulated fiber holds, so users know what their spectrograms should show.
//   dotnet run --project Simulator -- info   [--Focus:Simulator:Channels=500 ...]
//   dotnet run --project Simulator -- sample --channel 12 --seconds 2 [--at 1767225600]
//   dotnet run --project Simulator -c Release -- speed
//   dotnet run --project Simulator -c Release -- live --broker amqp://guest:guest@127.0.0.1:5672/ --channels 2222 --prr 2000 [--seed N] [--chunk-ms 100] [--seconds S]
using System.Diagnostics;
using Focus.Analyzer.Sources.Simulated;
using Microsoft.Extensions.Configuration;

var command = args.FirstOrDefault() ?? "help";
var configuration = new ConfigurationBuilder()
    .AddEnvironmentVariables()
    .AddCommandLine(args.Skip(1).ToArray())
    .Build();
var options = configuration.GetSection(SimulatorOptions.Section).Get<SimulatorOptions>() ?? new SimulatorOptions();
// Short forms of the fiber's options for the recorder (`live --channels 2222 --prr 2000 --seed 7`).
if (configuration.GetValue<int?>("channels") is { } channels) options.Channels = channels;
if (configuration.GetValue<double?>("prr") is { } prr) options.Prr = prr;
if (configuration.GetValue<long?>("seed") is { } seed) options.Seed = seed;
if (configuration.GetValue<int?>("block-size") is { } blockSize) options.BlockSize = blockSize;
var validation = new SimulatorOptionsValidator().Validate(null, options);
if (validation.Failed)
{
    foreach (var failure in validation.Failures) Console.Error.WriteLine(failure);
    return 2;
}
var source = new SimulatedLiveSource(options, TimeProvider.System);

switch (command)
{
    case "info":
        FiberReport.Print(source, options);
        return 0;
    case "sample":
        int channel = configuration.GetValue("channel", 12);
        double seconds = configuration.GetValue("seconds", 1.0);
        long? at = configuration.GetValue<long?>("at");
        if (channel < 1 || channel > source.Fiber.Channels || !(seconds > 0 && seconds <= 600))
        {
            Console.Error.WriteLine($"--channel must be 1..{source.Fiber.Channels} and --seconds in (0, 600].");
            return 2;
        }
        SampleReport.Print(source, channel, seconds, at);
        return 0;
    case "record": return Focus.Simulator.RecordCommand.Run(configuration, options);
    case "speed":
        Speed(source.Fiber);
        return 0;
    case "live":
        return await LiveRecorder.RunAsync(options, configuration);
    default:
        Console.WriteLine("usage: Simulator info | sample --channel C --seconds S [--at EPOCH_SECONDS] | speed | live --broker AMQP_URI [--channels N] [--prr HZ] [--seed N] [--chunk-ms 100] [--seconds S]  [--Focus:Simulator:KEY=VALUE ...]");
        return command is "help" or "--help" or "-h" ? 0 : 2;
}

// A generation-cost yardstick: blocks of 50 channels x 40 samples (a 50-channel job's 20 ms), many times over.
static void Speed(SimulatedFiber fiber)
{
    const int Channels = 50, Samples = 40, Blocks = 20_000;
    var buffer = new float[Channels * Samples];
    long now = fiber.Clock.IndexAt(DateTimeOffset.UtcNow);
    Measure("noise only (ch 1000..1049)", 1000, now);
    Measure("noise + tone (ch 500..549)", 500, now);
    if (fiber.MovingSource is { } v && v.ChannelsPerSecond != 0) // from when the vehicle is at channel 1025
        Measure("noise + vehicle (ch 1000..1049)", 1000, now + (long)((1025 - v.CentreChannelAt(now)) / v.ChannelsPerSecond * fiber.Prr));

    void Measure(string name, int first, long start)
    {
        for (var warm = Stopwatch.StartNew(); warm.ElapsedMilliseconds < 500;) fiber.Fill(first, Channels, start, Samples, buffer); // tier-1 JIT
        var watch = Stopwatch.StartNew();
        for (int i = 0; i < Blocks; i++) fiber.Fill(first, Channels, start + (i % 25) * Samples, Samples, buffer); // 0.5 s of data, again and again
        double ns = watch.Elapsed.TotalNanoseconds / ((double)Blocks * Channels * Samples);
        Console.WriteLine($"{name,-32} {ns,6:F2} ns/sample; 20 M samples/s would use {ns * 20e6 / 1e9:P0} of a core");
    }
}
