using Focus.Analyzer.Sources.RabbitMq;
using Focus.IntegrationTests.Infrastructure;

namespace Focus.IntegrationTests.Live;

/// <summary>What the service declares on the broker, read back with rabbitmqctl (CONTRACT §3).</summary>
[Collection(LiveCollection.Name)]
public sealed class TopologyTests(LiveService service)
{
    [Fact]
    public async Task Only_prisma_is_custom_and_a_job_queue_is_bounded_bound_to_its_blocks_and_gone_when_the_job_ends()
    {
        // Channels 60..130 need blocks 0, 1 and 2 of 64 (60..64, 65..128, 129..130).
        var job = await service.Http.Configure(FocusApi.LiveBody(min: 60, max: 130));
        var jobId = (string)job["job_id"]!;
        var queue = PrismaTopology.JobQueue(jobId);
        try
        {
            Assert.Equal(["prisma\ttopic\ttrue"], await TestBroker.CustomExchanges());

            var queues = await TestBroker.Queues("arguments", "durable", "exclusive", "auto_delete");
            Assert.DoesNotContain("focus_server_queue", queues.Keys);
            Assert.All(queues, q => Assert.Equal("false", q.Value[1])); // no durable queue of ours
            var arguments = queues[queue][0];
            Assert.Contains($"{{\"x-max-length-bytes\",{LiveService.MaxQueueBytes}}}", arguments);
            Assert.Contains("{\"x-overflow\",\"drop-head\"}", arguments);
            Assert.DoesNotContain("dead-letter", arguments);
            // The metadata consumer: a server-named exclusive auto-delete queue bound to Prpcast.Info.
            var metadata = queues.Where(q => q.Key.StartsWith("amq.gen-", StringComparison.Ordinal)).ToList();
            Assert.Contains(metadata, q => q.Value[2] == "true" && q.Value[3] == "true");
            Assert.Contains(metadata, q => TestBroker.Bindings(q.Key).Result.SequenceEqual([PrismaTopology.InfoRoutingKey]));

            // Nobody reads yet: the command key only (the data blocks follow a reader, see below).
            Assert.Equal([$"baby_analyzer.commands.{jobId}"], await TestBroker.Bindings(queue));
            Assert.Equal(queue, (string?)(await service.Http.Metadata(jobId))["resources"]?["queue"]);
        }
        finally
        {
            await service.Http.Delete(jobId);
        }
        Assert.DoesNotContain(queue, (await TestBroker.Queues()).Keys);
    }

    [Fact]
    public async Task An_unread_job_binds_no_data_keys_until_a_reader_attaches_and_unbinds_them_after_the_last_one_left()
    {
        // Channels 60..130 need blocks 0, 1 and 2 of 64 (60..64, 65..128, 129..130).
        var job = await service.Http.Configure(FocusApi.LiveBody(min: 60, max: 130));
        var jobId = (string)job["job_id"]!;
        var queue = PrismaTopology.JobQueue(jobId);
        var command = PrismaTopology.CommandRoutingKey(jobId);
        string[] read = [command, "recorder.data.0", "recorder.data.1", "recorder.data.2"];
        try
        {
            Assert.Equal([command], await TestBroker.Bindings(queue));
            using (var grpc = FocusApi.Channel(job))
            {
                using var call = FocusApi.Stream(grpc, 0);
                await call.ReadLines(1);
                Assert.Equal(read.Order(), await TestBroker.Bindings(queue));
            }
            await TestBroker.Eventually(async () => (await TestBroker.Bindings(queue)).SequenceEqual([command]),
                "the data keys are unbound once the reader left");
            using (var grpc = FocusApi.Channel(job))
            {
                using var call = FocusApi.Stream(grpc, 3);
                await call.ReadLines(1); // a new reader binds them again
                Assert.Equal(read.Order(), await TestBroker.Bindings(queue));
            }
        }
        finally
        {
            await service.Http.Delete(jobId);
        }
    }

    [Fact]
    public async Task An_expired_job_deletes_its_queue_too()
    {
        var job = await service.Http.Configure(FocusApi.LiveBody(min: 1, max: 2));
        var jobId = (string)job["job_id"]!;
        var queue = PrismaTopology.JobQueue(jobId);
        Assert.Contains(queue, (await TestBroker.Queues()).Keys);
        // Stop the analyzer as the idle timer would (the grain path is the same for every end).
        var grain = service.Get<IGrainFactory>().GetGrain<Focus.Grains.Analyzers.IAnalyzerWorkerGrain>(jobId);
        await grain.Stop(new Focus.Grains.Analyzers.AnalyzerStop(Focus.Grains.Analyzers.AnalyzerStopKind.Expired, "test"));
        Assert.DoesNotContain(queue, (await TestBroker.Queues()).Keys);
        await service.Http.Delete(jobId);
    }
}
