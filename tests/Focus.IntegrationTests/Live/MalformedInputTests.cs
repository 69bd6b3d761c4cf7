using System.Text;
using Focus.Analyzer.Sources.RabbitMq;
using Focus.Analyzer.Sources.RabbitMq.Protos;
using Focus.IntegrationTests.Infrastructure;
using Google.Protobuf;
using RabbitMQ.Client;
using static Focus.IntegrationTests.Infrastructure.Polling;

namespace Focus.IntegrationTests.Live;

/// <summary>Garbage on a job's data and command keys is counted, dead-lettered (commands) and never fatal.</summary>
[Collection(LiveCollection.Name)]
public sealed class MalformedInputTests(LiveService service)
{
    [Fact]
    public async Task Malformed_chunks_are_counted_and_the_job_streams_on()
    {
        var job = await service.Http.Configure(FocusApi.LiveBody(min: 1, max: 3, nfft: 256));
        var jobId = (string)job["job_id"]!;
        try
        {
            using var grpc = FocusApi.Channel(job);
            using var call = FocusApi.Stream(grpc, 0);
            await call.ReadLines(5);
            var input = service.Get<RabbitMqLiveSource>().Inputs.Single(i => i.JobId == jobId);
            var rejectedBefore = input.Rejected;

            await using var connection = await TestBroker.ConnectAsync();
            await using var channel = await connection.CreateChannelAsync();
            var now = (DateTimeOffset.UtcNow - DateTimeOffset.UnixEpoch).Ticks * 100;
            byte[][] bad =
            [
                Encoding.UTF8.GetBytes("not a protobuf at all \u0001\u0002\u00ff"),
                new DataChunk { Sequence = 1, StartTimeNs = now, Prr = 2000, FirstChannel = 1, ChannelCount = 64, SampleCount = 200, Samples = ByteString.CopyFrom(new byte[12]) }.ToByteArray(),
                new DataChunk { Sequence = 2, StartTimeNs = now, Prr = 1000, FirstChannel = 1, ChannelCount = 64, SampleCount = 1, Samples = ByteString.CopyFrom(new byte[256]) }.ToByteArray(),
                new DataChunk { Sequence = 3, StartTimeNs = now, Prr = 2000, FirstChannel = 65, ChannelCount = 64, SampleCount = 1, Samples = ByteString.CopyFrom(new byte[256]) }.ToByteArray(),
                new DataChunk { Sequence = 0, StartTimeNs = now, Prr = 2000, FirstChannel = 1, ChannelCount = 64, SampleCount = 1, Samples = ByteString.CopyFrom(new byte[256]) }.ToByteArray(),
            ];
            foreach (var body in bad) await channel.BasicPublishAsync(PrismaTopology.Exchange, "recorder.data.0", body);

            await TestBroker.Eventually(() => Task.FromResult(input.Rejected >= rejectedBefore + bad.Length),
                $"{bad.Length} bad chunks counted (counted {input.Rejected - rejectedBefore})");
            await call.ReadLines(20); // still streaming
            Assert.Equal("running", (string?)(await service.Http.Metadata(jobId))["state"]);
        }
        finally
        {
            await service.Http.Delete(jobId);
        }
    }

    [Fact]
    public async Task Malformed_commands_go_to_prisma_dlq_keepalive_is_seen_and_a_region_of_the_same_width_moves_the_job()
    {
        var job = await service.Http.Configure(FocusApi.LiveBody(min: 1, max: 3, nfft: 256));
        var jobId = (string)job["job_id"]!;
        var queue = PrismaTopology.JobQueue(jobId);
        try
        {
            var input = service.Get<RabbitMqLiveSource>().Inputs.Single(i => i.JobId == jobId);
            var dlqBefore = long.Parse((await TestBroker.Queues("messages"))[PrismaTopology.DeadLetterQueue][0]);
            await using var connection = await TestBroker.ConnectAsync();
            await using var channel = await connection.CreateChannelAsync();
            var key = PrismaTopology.CommandRoutingKey(jobId);
            string[] malformed =
            [
                "not json",
                "{\"type\": \"LaunchMissiles\", \"value\": {}}",
                "{\"type\": \"RegionOfInterestCommand\", \"value\": {\"start\": 9, \"end\": 2}}",
                "{\"type\": \"RegionOfInterestCommand\", \"value\": {\"start\": 1, \"end\": 50}}", // another width
                "{\"type\": \"ColormapCommand\", \"value\": \"rainbow\"}",
                "[1, 2, 3]",
            ];
            foreach (var body in malformed) await channel.BasicPublishAsync(PrismaTopology.Exchange, key, Encoding.UTF8.GetBytes(body));
            await TestBroker.Eventually(async () =>
                    long.Parse((await TestBroker.Queues("messages"))[PrismaTopology.DeadLetterQueue][0]) >= dlqBefore + malformed.Length,
                "every malformed command republished to prisma_dlq");

            await channel.BasicPublishAsync(PrismaTopology.Exchange, key, Encoding.UTF8.GetBytes("{\"type\": \"KeepaliveCommand\", \"value\": {\"source\": \"test\"}}"));
            await TestBroker.Eventually(() => Task.FromResult(input.LastKeepaliveAt is not null), "the keepalive is seen");

            using var grpc = FocusApi.Channel(job);
            using var call = FocusApi.Stream(grpc, 0);
            await call.ReadLines(1); // read: the queue is bound to its data blocks
            await channel.BasicPublishAsync(PrismaTopology.Exchange, key, Encoding.UTF8.GetBytes("{\"type\": \"RegionOfInterestCommand\", \"value\": {\"start\": 65, \"end\": 67}}"));
            await TestBroker.Eventually(async () => (await TestBroker.Bindings(queue)).SequenceEqual(new[] { key, "recorder.data.1" }.Order()),
                "the queue is bound to block 1 instead of block 0");
            await Eventually(async () => (await call.Next()).StartChannel == 65, "stream 0 moves to channel 65", every: TimeSpan.Zero);
            Assert.Equal("running", (string?)(await service.Http.Metadata(jobId))["state"]);
        }
        finally
        {
            await service.Http.Delete(jobId);
        }
    }

    [Fact]
    public async Task Oversized_and_out_of_fiber_chunks_for_a_wide_job_are_counted_dead_lettered_and_never_allocated()
    {
        var job = await service.Http.Configure(FocusApi.WaterfallBody(min: 1, max: LiveService.Channels)); // wide, cheap to compute
        var jobId = (string)job["job_id"]!;
        try
        {
            using var grpc = FocusApi.Channel(job);
            using var call = FocusApi.Stream(grpc, 0);
            await call.ReadLines(3);
            var input = service.Get<RabbitMqLiveSource>().Inputs.Single(i => i.JobId == jobId);
            var rejectedBefore = input.Rejected;
            var dlqBefore = long.Parse((await TestBroker.Queues("messages"))[PrismaTopology.DeadLetterQueue][0]);

            await using var connection = await TestBroker.ConnectAsync();
            await using var channel = await connection.CreateChannelAsync();
            var now = (DateTimeOffset.UtcNow - DateTimeOffset.UnixEpoch).Ticks * 100;
            // 8,192 samples of block 0's 64 channels: 2 MB on the wire, but 8,192 x the job's 256 channels = 2M values
            // in the job's slot, over MaxChunkValues; and a block reaching past the fiber's last channel.
            var samples = (int)(LiveService.MaxChunkValues / LiveService.Channels) * 2;
            (string Key, DataChunk Chunk)[] bad =
            [
                ("recorder.data.0", new DataChunk { Sequence = 1_000, StartTimeNs = now, Prr = 2000, FirstChannel = 1, ChannelCount = 64,
                    SampleCount = (uint)samples, Samples = ByteString.CopyFrom(new byte[samples * 64 * 4]) }),
                ("recorder.data.3", new DataChunk { Sequence = 1_001, StartTimeNs = now, Prr = 2000, FirstChannel = 250, ChannelCount = 64,
                    SampleCount = 1, Samples = ByteString.CopyFrom(new byte[64 * 4]) }),
                ("recorder.data.0", new DataChunk { Sequence = 1_002, StartTimeNs = now, Prr = double.NaN, FirstChannel = 1, ChannelCount = 64,
                    SampleCount = 1, Samples = ByteString.CopyFrom(new byte[64 * 4]) }),
            ];
            // Chunks are only looked at while the job is read: a pipeline reopening its reader on a loaded machine
            // (catching up) may miss a batch, so the batch goes again until it is counted.
            await TestBroker.Eventually(async () =>
            {
                if (input.Rejected >= rejectedBefore + bad.Length) return true;
                foreach (var (key, chunk) in bad) await channel.BasicPublishAsync(PrismaTopology.Exchange, key, chunk.ToByteArray());
                return false;
            }, $"{bad.Length} bad chunks counted (counted {input.Rejected - rejectedBefore})");
            await TestBroker.Eventually(async () =>
                    long.Parse((await TestBroker.Queues("messages"))[PrismaTopology.DeadLetterQueue][0]) >= dlqBefore + bad.Length,
                "every bad chunk republished to prisma_dlq");
            await call.ReadLines(20); // still streaming
            Assert.Equal("running", (string?)(await service.Http.Metadata(jobId))["state"]);
        }
        finally
        {
            await service.Http.Delete(jobId);
        }
    }
}
