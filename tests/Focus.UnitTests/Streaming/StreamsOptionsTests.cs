using Focus.Analyzer.Hosting;
using Focus.Analyzer.Pipeline;
using Focus.Analyzer.Sources;
using Focus.Analyzer.Spectral;
using Focus.Analyzer.Streaming;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace Focus.UnitTests.Streaming;

public sealed class StreamsOptionsTests
{
    private static ServiceProvider Build(Dictionary<string, string?> settings)
    {
        var services = new ServiceCollection();
        services.AddLogging();
        services.AddFocusAnalyzer(new ConfigurationBuilder().AddInMemoryCollection(settings).Build());
        services.AddSingleton<ISpectrogramEngine>(new ReferenceSpectrogramEngine());
        services.AddSingleton<ILiveSource>(new NoSource());
        return services.BuildServiceProvider(new ServiceProviderOptions { ValidateOnBuild = true });
    }

    [Fact]
    public async Task Defaults_are_valid_and_the_host_resolves()
    {
        await using var provider = Build([]);
        var options = provider.GetRequiredService<IOptions<StreamsOptions>>().Value;
        Assert.Equal("127.0.0.1", options.Host);
        Assert.Equal("50051-50450", options.PortRange);
        Assert.Equal("0.0.0.0", options.BindAddress);
        Assert.Equal(64, options.ReaderBufferMessages);
        Assert.Equal(TimeSpan.FromSeconds(30), options.KeepAlivePing);
        Assert.IsType<AnalyzerHost>(provider.GetRequiredService<IAnalyzerHost>());
        Assert.Same(provider.GetRequiredService<AnalyzerHost>(), provider.GetRequiredService<IAnalyzerHost>());
    }

    [Fact]
    public void Bad_settings_fail_with_messages_naming_the_keys()
    {
        using var provider = Build(new()
        {
            ["Focus:Streams:PortRange"] = "50450-50051",
            ["Focus:Streams:BindAddress"] = "everywhere",
            ["Focus:Streams:ReaderBufferMessages"] = "0",
            ["Focus:Streams:KeepAlivePing"] = "00:00:00",
            ["Focus:Streams:Host"] = " ",
        });
        var error = Assert.Throws<OptionsValidationException>(() => provider.GetRequiredService<IOptions<StreamsOptions>>().Value);
        Assert.Contains(error.Failures, f => f.Contains("Focus:Streams:PortRange") && f.Contains("50450-50051"));
        Assert.Contains(error.Failures, f => f.Contains("Focus:Streams:BindAddress"));
        Assert.Contains(error.Failures, f => f.Contains("Focus:Streams:ReaderBufferMessages"));
        Assert.Contains(error.Failures, f => f.Contains("Focus:Streams:KeepAlivePing"));
        Assert.Contains(error.Failures, f => f.Contains("Focus:Streams:Host"));
    }

    [Theory]
    [InlineData("50051-50450", true, 50051, 50450)]
    [InlineData(" 7000 - 7000 ", true, 7000, 7000)]
    [InlineData("0-10", false, 0, 0)]
    [InlineData("10-70000", false, 0, 0)]
    [InlineData("9-8", false, 0, 0)]
    [InlineData("8", false, 0, 0)]
    [InlineData("a-b", false, 0, 0)]
    [InlineData(null, false, 0, 0)]
    public void Port_ranges_parse(string? text, bool valid, int first, int last)
    {
        Assert.Equal(valid, StreamsOptions.TryParsePortRange(text, out var f, out var l));
        if (valid) Assert.Equal((first, last), (f, l));
    }

    private sealed class NoSource : ILiveSource
    {
        public double Prr => 1000;

        public ILiveReader Open(int firstChannel, int lastChannel, long fromSampleIndex) => throw new NotSupportedException();
    }
}
