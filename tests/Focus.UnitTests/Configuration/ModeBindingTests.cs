using Focus.Analyzer.Launcher;
using Focus.Analyzer.Sources;
using Focus.Gateway.Hosting;
using Focus.Grains.Analyzers;
using Focus.Grains.Exposure;
using Focus.Grains.Hosting;
using Focus.Grains.Recordings;
using Focus.Grains.Security;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;

namespace Focus.UnitTests.Configuration;

/// <summary>The mode keys are enums: the documented spellings still bind, a wrong one fails naming the key and the values.</summary>
public sealed class ModeBindingTests
{
    [Theory]
    [InlineData("none", AuthMode.None)]
    [InlineData("apikey", AuthMode.ApiKey)]
    [InlineData("ApiKey", AuthMode.ApiKey)]
    [InlineData("jwt", AuthMode.Jwt)]
    public void Auth_modes_bind_in_any_case(string text, AuthMode mode) => // keys and tokens aside: the binding alone
        Assert.Equal(mode, ConfigEnum.GetOrDefaults<AuthOptions>(Section(AuthOptions.Section, new() { ["Mode"] = text })).Mode);

    [Fact]
    public void Every_documented_mode_value_binds()
    {
        Assert.Equal(ClusterKind.AdoNet, Bind<GatewayClusterOptions>(FocusClusterOptions.Section, new() { ["Kind"] = "adonet", ["ConnectionString"] = "Host=db;Database=focus" }).Kind);
        Assert.Equal(ClusterKind.Localhost, Bind<GatewayClusterOptions>(FocusClusterOptions.Section, new() { ["Kind"] = "localhost" }).Kind);
        Assert.Equal(LiveSource.RabbitMq, Bind<LiveOptions>(LiveOptions.Section, new() { ["Source"] = "rabbitmq", ["Broker"] = "amqp://guest:guest@127.0.0.1:5672/" }).Source);
        Assert.Equal(LiveSource.Simulator, Bind<LiveOptions>(LiveOptions.Section, new() { ["Source"] = "simulator" }).Source);
        Assert.Equal(AnalyzerHostKind.Process, Bind<AnalyzerHostOptions>(AnalyzerHostOptions.Section, new() { ["Host"] = "process" }).Host);
        Assert.Equal(AnalyzerHostKind.Grain, Bind<AnalyzerHostOptions>(AnalyzerHostOptions.Section, new() { ["Host"] = "grain" }).Host);
        Assert.Equal(JobPlacement.Orleans, Bind<SiloPlacementOptions>(SiloPlacementOptions.Section, new() { ["Placement"] = "orleans" }).Placement);
        Assert.Equal(JobPlacement.Balanced, Bind<SiloPlacementOptions>(SiloPlacementOptions.Section, new() { ["Placement"] = "balanced" }).Placement);
        Assert.Equal(StreamExposureKind.Kubernetes, Bind<StreamExposureOptions>(StreamExposureOptions.Section, new() { ["Exposure"] = "kubernetes" }).Exposure);
        Assert.Equal(StreamExposureKind.Direct, Bind<StreamExposureOptions>(StreamExposureOptions.Section, new() { ["Exposure"] = "direct" }).Exposure);
        Assert.Equal(CatalogKind.Folder, Bind<CatalogOptions>(CatalogOptions.Section, new() { ["Kind"] = "folder" }).Kind);
        Assert.Equal(CatalogKind.Mongo, Bind<CatalogOptions>(CatalogOptions.Section, new() { ["Kind"] = "mongo", ["ConnectionString"] = "mongodb://db:27017" }).Kind);
        Assert.Equal(CatalogKind.Postgres, Bind<CatalogOptions>(CatalogOptions.Section, new() { ["Kind"] = "postgres", ["ConnectionString"] = "Host=db;Database=focus" }).Kind);
    }

    [Theory]
    [InlineData("basic")]
    [InlineData("1")] // the binder alone would take a number
    [InlineData("")]
    public void A_wrong_mode_names_the_key_and_the_values(string text)
    {
        var ex = Assert.Throws<OptionsValidationException>(() => Bind<AuthOptions>(AuthOptions.Section, new() { ["Mode"] = text }));
        Assert.Equal($"Focus:Auth:Mode is '{text}'; use none, apikey or jwt.", Assert.Single(ex.Failures));
    }

    [Fact]
    public void Each_options_type_lists_its_own_values()
    {
        Assert.Contains("Focus:Cluster:Kind is 'k8s'; use localhost or adonet.",
            Assert.Throws<OptionsValidationException>(() => Bind<GatewayClusterOptions>(FocusClusterOptions.Section, new() { ["Kind"] = "k8s" })).Failures);
        Assert.Contains("Focus:Live:Source is 'kafka'; use simulator or rabbitmq.",
            Assert.Throws<OptionsValidationException>(() => Bind<LiveOptions>(LiveOptions.Section, new() { ["Source"] = "kafka" })).Failures);
        Assert.Contains("Focus:Analyzer:Host is 'pod'; use grain or process.",
            Assert.Throws<OptionsValidationException>(() => Bind<AnalyzerHostOptions>(AnalyzerHostOptions.Section, new() { ["Host"] = "pod" })).Failures);
        Assert.Contains("Focus:Cluster:Placement is 'random'; use balanced or orleans.",
            Assert.Throws<OptionsValidationException>(() => Bind<SiloPlacementOptions>(SiloPlacementOptions.Section, new() { ["Placement"] = "random" })).Failures);
        Assert.Contains("Focus:Streams:Exposure is 'nodeport'; use direct or kubernetes.",
            Assert.Throws<OptionsValidationException>(() => Bind<StreamExposureOptions>(StreamExposureOptions.Section, new() { ["Exposure"] = "nodeport" })).Failures);
        Assert.Contains("Focus:Catalog:Kind is 'sqlite'; use folder, postgres or mongo.",
            Assert.Throws<OptionsValidationException>(() => Bind<CatalogOptions>(CatalogOptions.Section, new() { ["Kind"] = "sqlite" })).Failures);
    }

    [Fact]
    public async Task A_wrong_mode_stops_the_host_at_start_with_that_message()
    {
        var builder = Host.CreateEmptyApplicationBuilder(new HostApplicationBuilderSettings());
        builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?> { ["Focus:Auth:Mode"] = "basic" });
        // Registration-time reads see the defaults, so the host is still built and fails only when it starts.
        Assert.Equal(AuthMode.None, ConfigEnum.GetOrDefaults<AuthOptions>(builder.Configuration.GetSection(AuthOptions.Section)).Mode);
        builder.Services.AddValidatedOptions<AuthOptions, AuthOptionsValidator>(builder.Configuration.GetSection(AuthOptions.Section));
        using var host = builder.Build();
        var ex = await Assert.ThrowsAsync<OptionsValidationException>(() => host.StartAsync());
        Assert.Contains("Focus:Auth:Mode is 'basic'; use none, apikey or jwt.", ex.Message);
    }

    private static TOptions Bind<TOptions>(string section, Dictionary<string, string?> keys) where TOptions : class
    {
        var services = new ServiceCollection();
        Register<TOptions>(services, Section(section, keys));
        using var provider = services.BuildServiceProvider();
        return provider.GetRequiredService<IOptions<TOptions>>().Value; // the options factory runs the validators
    }

    private static IConfigurationSection Section(string section, Dictionary<string, string?> keys) => new ConfigurationBuilder()
        .AddInMemoryCollection(keys.ToDictionary(k => $"{section}:{k.Key}", k => k.Value))
        .Build()
        .GetSection(section);

    private static void Register<TOptions>(IServiceCollection services, IConfigurationSection section) where TOptions : class
    {
        _ = typeof(TOptions).Name switch
        {
            nameof(AuthOptions) => services.AddValidatedOptions<AuthOptions, AuthOptionsValidator>(section).Services,
            nameof(GatewayClusterOptions) => services.AddValidatedOptions<GatewayClusterOptions, FocusClusterOptionsValidator<GatewayClusterOptions>>(section).Services,
            nameof(LiveOptions) => services.AddValidatedOptions<LiveOptions, LiveOptionsValidator>(section).Services,
            nameof(AnalyzerHostOptions) => services.AddValidatedOptions<AnalyzerHostOptions, AnalyzerHostOptionsValidator>(section).Services,
            nameof(SiloPlacementOptions) => services.AddValidatedOptions<SiloPlacementOptions, SiloPlacementOptionsValidator>(section).Services,
            nameof(StreamExposureOptions) => services.AddValidatedOptions<StreamExposureOptions, StreamExposureOptionsValidator>(section).Services,
            nameof(CatalogOptions) => services.AddValidatedOptions<CatalogOptions, CatalogOptionsValidator>(section).Services,
            _ => throw new ArgumentException(typeof(TOptions).Name),
        };
    }
}
