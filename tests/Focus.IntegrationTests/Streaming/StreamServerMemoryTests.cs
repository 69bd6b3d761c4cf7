using Focus.Analyzer.Pipeline;
using Xunit.Abstractions;
using static Focus.IntegrationTests.Streaming.StreamingHarness;

namespace Focus.IntegrationTests.Streaming;

[CollectionDefinition(nameof(MemoryMeasurement), DisableParallelization = true)]
public sealed class MemoryMeasurement;

/// <summary>Rough per-job footprint of idle live jobs (server + streams + pipeline), measured alone.</summary>
[Collection(nameof(MemoryMeasurement))]
public sealed class StreamServerMemoryTests(ITestOutputHelper output)
{
    private const int Jobs = 50;

    [Fact]
    public async Task Fifty_idle_jobs_stay_small()
    {
        await using var harness = new StreamingHarness(new ToneLiveSource(Prr, 64, 128, Prr));
        var warmup = await harness.StartAsync(Spectrogram(1, 8, nfft: 1024, jobId: "warmup"));
        await warmup.StopAsync(JobEnd.Cancelled).WaitAsync(Deadline);

        var (managedBefore, workingSetBefore) = Measure();
        var threadsBefore = System.Diagnostics.Process.GetCurrentProcess().Threads.Count;
        var jobs = new List<IAnalyzerJob>();
        for (var i = 0; i < Jobs; i++)
            jobs.Add(await harness.StartAsync(Spectrogram(1, 8, nfft: 1024, jobId: $"mem-{i}")));
        var (managedAfter, workingSetAfter) = Measure();
        Assert.Equal(Jobs, harness.Host.RunningJobs);

        var managedPerJob = (managedAfter - managedBefore) / Jobs / 1024.0;
        var workingSetPerJob = (workingSetAfter - workingSetBefore) / Jobs / 1024.0;
        output.WriteLine($"{Jobs} idle jobs: managed {managedPerJob:F0} KiB/job, working set {workingSetPerJob:F0} KiB/job, " +
            $"threads {threadsBefore} -> {System.Diagnostics.Process.GetCurrentProcess().Threads.Count}");

        await Task.WhenAll(jobs.Select(job => job.StopAsync(JobEnd.Cancelled))).WaitAsync(Deadline);
        Assert.Equal(0, harness.Host.RunningJobs);
        Assert.True(managedPerJob < 1024, $"managed memory per idle job is {managedPerJob:F0} KiB");
    }

    private static (long Managed, long WorkingSet) Measure()
    {
        GC.Collect();
        GC.WaitForPendingFinalizers();
        GC.Collect();
        return (GC.GetTotalMemory(forceFullCollection: true), Environment.WorkingSet);
    }
}
