using Focus.IntegrationTests.Infrastructure;

namespace Focus.IntegrationTests.Live;

/// <summary>Messages stay under 1 MiB whatever a batch holds, so a client with gRPC's default limits reads any job.</summary>
[Collection(LiveCollection.Name)]
public sealed class WideLinesTests(LiveService service)
{
    [Fact]
    public async Task A_job_of_wide_lines_is_read_with_the_default_grpc_client_limits_in_messages_under_1_MiB()
    {
        // nfft 8192 over the whole band is 4,097 values (16 KiB) a line; hop 2 at 2000 Hz makes 100 lines of each
        // 100 ms chunk: 1.6 MB if the chunk's lines went out as one message.
        var job = await service.Http.Configure(FocusApi.LiveBody(min: 1, max: 1, view: 1, height: 100, duration: 0.1,
            nfft: 8192, fmin: null, fmax: null));
        var jobId = (string)job["job_id"]!;
        try
        {
            Assert.Equal(4097, (int)job["frequencies_amount"]!);
            using var grpc = FocusApi.Channel(job); // gRPC's defaults: 4 MiB per received message
            using var call = FocusApi.Stream(grpc, 0);
            var lines = 0;
            var messages = 0;
            int? lastRow = null;
            var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(60);
            while (lines < 600)
            {
                Assert.True(DateTime.UtcNow < deadline, $"600 lines within 60 s (read {lines})");
                var message = await call.Next();
                messages++;
                Assert.True(message.CalculateSize() <= 1024 * 1024, $"a message of {message.CalculateSize()} bytes");
                Assert.Equal(message.DataShapeY, message.MainData.Count);
                Assert.All(message.MainData, line => Assert.Equal(4097 * 4, line.Length));
                foreach (var row in message.RowIndex)
                {
                    if (lastRow is { } previous) Assert.True(row > previous, $"row {row} after {previous}");
                    lastRow = row;
                }
                lines += message.DataShapeY;
            }
            Assert.True(messages > 1);
        }
        finally
        {
            await service.Http.Delete(jobId);
        }
    }
}
