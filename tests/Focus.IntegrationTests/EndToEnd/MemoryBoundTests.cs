using System.Net;
using Focus.Grains.Analyzers;
using Focus.Grains.Jobs;
using Focus.IntegrationTests.Infrastructure;
using Focus.IntegrationTests.Streaming;
using Microsoft.Extensions.DependencyInjection;
using static Focus.IntegrationTests.Infrastructure.Polling;

namespace Focus.IntegrationTests.EndToEnd;

/// <summary>
/// Create/read/delete cycles and unknown-id calls against the real service in this process: once the retention has
/// passed, no job activation and no stream port is left. The managed heap after a full collection is reported, not
/// asserted: it is the whole test process's, and in a full run the other test classes' services move it by more than
/// a leak would (3 KB a call against the 1.4 KB a call the fixed leaks cost); run alone (docs/RELIABILITY.md) it
/// measures this service.
/// </summary>
[Collection(nameof(MemoryMeasurement))]
public sealed class MemoryBoundTests(HostileClientService service, Xunit.Abstractions.ITestOutputHelper output) : IClassFixture<HostileClientService>
{
    private const int Cycles = 200;
    private const int UnknownCalls = 2000;

    [Fact]
    public async Task Cycles_and_unknown_id_calls_leave_no_activation_and_no_port_behind()
    {
        // Two equal rounds after a warm-up: caches and pools fill in the first; a leak grows in both.
        await Round(100, 0);
        var heap0 = await SettledHeap();
        await Round(Cycles, UnknownCalls);
        var heap1 = await SettledHeap();
        await Round(Cycles, UnknownCalls);
        var heap2 = await SettledHeap();

        var calls = Cycles + UnknownCalls;
        output.WriteLine($"managed heap after a full collection: {heap0 / 1024} KiB after warm-up, {heap1 / 1024} KiB after round 1, "
            + $"{heap2 / 1024} KiB after round 2 ({Cycles} cycles and {UnknownCalls} unknown-id calls a round; round 2 grew {(heap2 - heap1) / (double)calls:F0} B a call)");
        Assert.Equal(0, service.Get<StreamPortPool>().InUse);
    }

    private async Task Round(int cycles, int unknownCalls)
    {
        await Run(cycles, "soak");
        for (var i = 0; i < unknownCalls; i++)
        {
            var id = $"{Random.Shared.Next(1, 10_000_000)}-{Random.Shared.Next(1000, 10000)}";
            using var response = i % 2 == 0 ? await service.Http.GetAsync($"metadata/{id}") : await service.Http.DeleteAsync($"job/{id}");
            Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        }
    }

    private async Task Run(int cycles, string tag)
    {
        for (var i = 0; i < cycles; i++)
        {
            var body = (i % 3) switch
            {
                0 => FocusApi.LiveBody(min: 12, max: 12, view: 1, nfft: 65536, duration: 30, fmin: null, fmax: null),
                1 => FocusApi.LiveBody(min: 1, max: 50, nfft: 1024),
                _ => FocusApi.WaterfallBody(min: 1, max: 2222),
            };
            var jobId = (string)(await service.Http.Configure(body))["job_id"]!;
            await service.Http.Metadata(jobId);
            await service.Http.Delete(jobId);
        }
    }

    /// <summary>Waits out the retention until no job activation is left, then collects fully and reads the heap.</summary>
    private async Task<long> SettledHeap()
    {
        var grains = service.Services.GetRequiredService<IGrainFactory>();
        var management = grains.GetGrain<IManagementGrain>(0);
        var jobType = grains.GetGrain<IJobGrain>("_").GetGrainId().Type;
        var left = 0;
        await Eventually(async () => (left = (await management.GetActiveGrains(jobType)).Count) == 0,
            () => $"{left} job activations are still there", TimeSpan.FromSeconds(30));
        await Task.Delay(TimeSpan.FromSeconds(2)); // past the 1 s retention
        GC.Collect(2, GCCollectionMode.Forced, blocking: true, compacting: true);
        GC.WaitForPendingFinalizers();
        return GC.GetTotalMemory(forceFullCollection: true);
    }
}
