using System.Net;
using Focus.IntegrationTests.Infrastructure;

namespace Focus.IntegrationTests.Live;

/// <summary>/live_metadata, /channels, /sensors and /configure from the recorder's Prpcast.Info and chunks (CONTRACT §1, §3).</summary>
[Collection(LiveCollection.Name)]
public sealed class FiberMetadataTests(LiveService service)
{
    [Fact]
    public async Task Num_samples_per_trace_is_the_sample_count_of_the_chunks_a_live_job_reads()
    {
        Assert.True(service.Recorder.ChunkSamples > 1);
        var job = await service.Http.Configure(FocusApi.LiveBody(min: 1, max: 2, nfft: 256));
        var jobId = (string)job["job_id"]!;
        try
        {
            using var grpc = FocusApi.Channel(job);
            using var call = FocusApi.Stream(grpc, 0);
            await call.ReadLines(3);
            await TestBroker.Eventually(async () =>
                (int?)(await LiveMetadata())["num_samples_per_trace"] == service.Recorder.ChunkSamples,
                $"/live_metadata num_samples_per_trace is the recorder's {service.Recorder.ChunkSamples} samples per chunk");
        }
        finally
        {
            await service.Http.Delete(jobId);
        }
    }

    private async Task<System.Text.Json.Nodes.JsonObject> LiveMetadata()
    {
        using var response = await service.Http.GetAsync("live_metadata");
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        return await response.Json();
    }
}
