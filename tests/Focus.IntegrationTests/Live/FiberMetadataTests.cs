using System.Net;
using Focus.Analyzer.Sources.RabbitMq;
using Focus.Analyzer.Sources.RabbitMq.Protos;
using Focus.IntegrationTests.Infrastructure;
using Focus.Silo.Live;
using Google.Protobuf;
using RabbitMQ.Client;

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

    public static TheoryData<string, double, double, uint> HostileInfos => new()
    {
        { "dx NaN", double.NaN, 2000, LiveService.Channels },
        { "dx +Inf", double.PositiveInfinity, 2000, LiveService.Channels },
        { "dx -Inf", double.NegativeInfinity, 2000, LiveService.Channels },
        { "prr 0", 1.02, 0, LiveService.Channels },
        { "prr NaN", 1.02, double.NaN, LiveService.Channels },
        { "2e9 channels", 1.02, 2000, 2_000_000_000 },
    };

    [Theory]
    [MemberData(nameof(HostileInfos))]
    public async Task A_hostile_prpcast_info_is_refused_and_counted_and_the_routes_keep_the_last_good_fiber(string what, double dx, double prr, uint channels)
    {
        var consumer = service.Get<PrpcastConsumer>();
        var rejectedBefore = consumer.Rejected;
        var info = service.Recorder.Info();
        info.Dx = dx;
        info.Prr = prr;
        info.NumberOfChannels = channels;
        await using var connection = await TestBroker.ConnectAsync();
        await using var channel = await connection.CreateChannelAsync();
        await channel.BasicPublishAsync(PrismaTopology.Exchange, PrismaTopology.InfoRoutingKey, info.ToByteArray());
        await TestBroker.Eventually(() => Task.FromResult(consumer.Rejected > rejectedBefore), $"the Prpcast.Info with {what} is refused");

        var metadata = await LiveMetadata();
        Assert.Equal(LiveService.Channels, (int?)metadata["number_of_channels"]);
        Assert.Equal(2000, (double?)metadata["prr"]);
        Assert.True(double.IsFinite((double)metadata["dx"]!) && (double)metadata["dx"]! > 0);
        using (var sensors = await service.Http.GetAsync("sensors"))
        {
            Assert.Equal(HttpStatusCode.OK, sensors.StatusCode);
            Assert.Equal(LiveService.Channels, (await sensors.Json())["sensors"]!.AsArray().Count);
        }
        var job = await service.Http.Configure(FocusApi.LiveBody(min: 1, max: 2));
        Assert.Equal(LiveService.Channels, (int?)job["metadata"]?["number_of_channels"]);
        await service.Http.Delete((string)job["job_id"]!);
    }

    private async Task<System.Text.Json.Nodes.JsonObject> LiveMetadata()
    {
        using var response = await service.Http.GetAsync("live_metadata");
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        return await response.Json();
    }
}
