namespace Focus.IntegrationTests.Cluster;

/// <summary>The PostgreSQL that test.sh starts (tests/servers/postgres.sh); its absence fails the test, never skips it.</summary>
internal static class TestPostgres
{
    public const string Variable = "FOCUS_TEST_POSTGRES";

    public static string ConnectionString =>
        Environment.GetEnvironmentVariable(Variable) is { Length: > 0 } value
            ? value
            : throw new InvalidOperationException(
                $"{Variable} is not set: the scale-out tests need the PostgreSQL that ./test.sh starts (tests/servers/postgres.sh). Run them through ./test.sh, or start_postgres yourself and export {Variable}.");
}
