using Focus.Analyzer.Sources.Simulated;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Focus.Analyzer.Historic;

/// <summary>
/// The embedded default storage: when <c>Focus:Storage:MountPath</c> is not set, the service plays back from
/// <see cref="DefaultFolder"/>, where it records a sample of its simulated fiber at start-up (once a day): channels
/// 1..16 (the 50 Hz tone lives on 10..14) at the simulator's prr, two minutes from <see cref="Anchor"/>, a
/// one-minute gap, two more minutes. Older samples (beyond the timeline's 7 days) are removed.
/// </summary>
public sealed partial class SampleRecordings(
    IOptions<StorageOptions> storage,
    IOptions<SimulatorOptions> simulator,
    TimeProvider clock,
    ILogger<SampleRecordings> logger) : IHostedService
{
    public const int Channels = 16;
    public static readonly TimeSpan FirstPart = TimeSpan.FromMinutes(2);
    public static readonly TimeSpan Gap = TimeSpan.FromMinutes(1);

    public static string DefaultFolder => Path.Combine(Path.GetTempPath(), "focus-sample-recordings");

    /// <summary>Where today's sample starts: midnight UTC of (now - 10 min), so it is always in the past.</summary>
    public static DateTimeOffset Anchor(DateTimeOffset now) => new(now.UtcDateTime.AddMinutes(-10).Date, TimeSpan.Zero);

    /// <summary>Whether <paramref name="options"/> asks for the generated sample folder.</summary>
    public static bool IsDefault(StorageOptions options) => options.MountPath.Length == 0 || options.MountPath == DefaultFolder;

    public Task StartAsync(CancellationToken cancellationToken)
    {
        if (storage.Value.MountPath != DefaultFolder) return Task.CompletedTask;
        return Task.Run(() => Ensure(DefaultFolder, simulator.Value, clock.GetUtcNow()), cancellationToken);
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    private void Ensure(string folder, SimulatorOptions options, DateTimeOffset now)
    {
        var anchor = Anchor(now);
        var name = $"sample-{anchor:yyyyMMdd}";
        var directory = Path.Combine(folder, name);
        var done = Path.Combine(directory, ".complete");
        Directory.CreateDirectory(folder);
        foreach (var old in Directory.EnumerateDirectories(folder, "sample-*"))
            if (Path.GetFileName(old) is var n && string.CompareOrdinal(n, $"sample-{anchor.AddDays(-7):yyyyMMdd}") < 0)
                TryDelete(old);
        if (File.Exists(done)) return;

        // Several services on one machine may start together: each writes its own copy and the first to finish wins.
        var scratch = Path.Combine(folder, $".{name}-{Guid.NewGuid():N}");
        var recorder = new SimulatedRecorder(new SimulatedFiber(options), Math.Min(Channels, options.Channels));
        var files = recorder.Record(scratch, anchor, FirstPart + Gap + FirstPart, TimeSpan.FromMinutes(1), [new RecordingGap(FirstPart, Gap)]);
        File.WriteAllText(Path.Combine(scratch, ".complete"), "");
        try
        {
            Directory.Move(scratch, directory);
            LogGenerated(directory, files.Count, anchor, anchor + FirstPart + Gap + FirstPart, anchor.ToUnixTimeSeconds(), (anchor + FirstPart + Gap + FirstPart).ToUnixTimeSeconds());
        }
        catch (IOException)
        {
            TryDelete(scratch); // another process was first
        }
    }

    private static void TryDelete(string directory)
    {
        try
        {
            Directory.Delete(directory, recursive: true);
        }
        catch (IOException)
        {
        }
        catch (UnauthorizedAccessException)
        {
        }
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Sample recording written to {Directory}: {Files} files from {From:u} to {To:u} with a gap; try start_time {FromEpoch}, end_time {ToEpoch}")]
    private partial void LogGenerated(string directory, int files, DateTimeOffset from, DateTimeOffset to, long fromEpoch, long toEpoch);
}
