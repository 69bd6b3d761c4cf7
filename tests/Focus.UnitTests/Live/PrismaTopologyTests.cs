using Focus.Analyzer.Sources.RabbitMq;

namespace Focus.UnitTests.Live;

public sealed class PrismaTopologyTests
{
    [Theory]
    [InlineData(1, 64, 64, new[] { 0 })]
    [InlineData(64, 65, 64, new[] { 0, 1 })]
    [InlineData(65, 128, 64, new[] { 1 })]
    [InlineData(60, 130, 64, new[] { 0, 1, 2 })]
    [InlineData(2222, 2222, 64, new[] { 34 })]
    [InlineData(5, 5, 1, new[] { 4 })]
    public void A_job_needs_exactly_the_blocks_of_its_1_based_channels(int first, int last, int blockSize, int[] blocks) =>
        Assert.Equal(blocks, PrismaTopology.Blocks(first, last, blockSize));

    [Theory]
    [InlineData("recorder.data.0", 0)]
    [InlineData("recorder.data.34", 34)]
    [InlineData("recorder.data.", -1)]
    [InlineData("recorder.data.-1", -1)]
    [InlineData("recorder.data.1x", -1)]
    [InlineData("baby_analyzer.commands.1-2345", -1)]
    public void Data_routing_keys_name_their_block(string key, int block) =>
        Assert.Equal(block, PrismaTopology.ParseDataRoutingKey(key));

    [Fact]
    public void Names_follow_the_contract()
    {
        Assert.Equal("17-4821_live", PrismaTopology.JobQueue("17-4821"));
        Assert.Equal("baby_analyzer.commands.17-4821", PrismaTopology.CommandRoutingKey("17-4821"));
        Assert.Equal("dlq.17-4821", PrismaTopology.DeadLetterRoutingKey("17-4821"));
        var arguments = PrismaTopology.JobQueueArguments(1234);
        Assert.Equal(1234L, arguments["x-max-length-bytes"]);
        Assert.Equal("drop-head", arguments["x-overflow"]);
        Assert.Equal(2, arguments.Count); // no dead-letter exchange
    }
}
