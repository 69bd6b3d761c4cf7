using System.Text;
using Focus.Analyzer.Sources.RabbitMq;

namespace Focus.UnitTests.Live;

public sealed class LiveCommandTests
{
    private static LiveCommand Parse(string json) => LiveCommand.Parse(Encoding.UTF8.GetBytes(json));

    [Fact]
    public void The_four_commands_of_the_contract_parse()
    {
        Assert.Equal(LiveCommandType.Keepalive, Parse("""{"type":"KeepaliveCommand","value":{"source":"pandaapp"}}""").Type);
        var roi = Parse("""{"type":"RegionOfInterestCommand","value":{"start":10,"end":14}}""");
        Assert.Equal((LiveCommandType.RegionOfInterest, 10, 14, (string?)null), (roi.Type, roi.Start, roi.End, roi.Problem));
        Assert.Null(Parse("""{"type":"CaxisCommand","value":{"min":-20,"max":40.5}}""").Problem);
        Assert.Equal("jet", Parse("""{"type":"ColormapCommand","value":"jet"}""").Text);
    }

    [Theory]
    [InlineData("")]
    [InlineData("not json")]
    [InlineData("[1]")]
    [InlineData("""{"value":{}}""")]
    [InlineData("""{"type":"SelfDestruct","value":{}}""")]
    [InlineData("""{"type":"KeepaliveCommand"}""")]
    [InlineData("""{"type":"RegionOfInterestCommand","value":{"start":5,"end":4}}""")]
    [InlineData("""{"type":"RegionOfInterestCommand","value":{"start":0,"end":4}}""")]
    [InlineData("""{"type":"RegionOfInterestCommand","value":{"start":1.5,"end":4}}""")]
    [InlineData("""{"type":"CaxisCommand","value":{"min":3,"max":3}}""")]
    [InlineData("""{"type":"ColormapCommand","value":"rainbow"}""")]
    [InlineData("""{"type":"KeepaliveCommand","value":{"source":"x"}""")]
    public void Malformed_commands_have_a_problem_and_never_throw(string json) =>
        Assert.NotNull(Parse(json).Problem);
}
