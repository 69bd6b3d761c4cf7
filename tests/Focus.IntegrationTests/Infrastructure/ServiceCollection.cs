namespace Focus.IntegrationTests.Infrastructure;

/// <summary>Tests that share one default service run one after another, so each sees only its own jobs.</summary>
[CollectionDefinition(Name)]
public sealed class ServiceCollection : ICollectionFixture<FocusService>
{
    public const string Name = "service";
}
