using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using Focus.Grains.Recordings;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Xunit.Abstractions;

namespace Focus.UnitTests.Historic;

/// <summary>
/// Issue 18 item 5: a database-backed catalog answers within its bound whatever the database does. No MongoDB server
/// can run on these machines, so the mongo back end's bounds are tested against a loopback port where nothing listens
/// (connection refused: a stopped server) and one that accepts connections and never answers (a hung server); the
/// postgres back end against the latter here and against a real server stopped and started in the integration tests
/// (PostgresCatalogOutageTests). A timeout or failure is a <see cref="CatalogUnavailableException"/> naming the
/// catalog; after <see cref="CatalogOptions.BreakMinimumCalls"/> of them the circuit is open and calls fail at once
/// with the time left as Retry-After.
/// </summary>
public sealed class CatalogTimeBoundTests(ITestOutputHelper output) : IDisposable
{
    private static readonly DateTimeOffset T0 = new(2025, 3, 1, 10, 0, 0, TimeSpan.Zero);
    private static readonly CatalogOptions Bounds = new() { Timeout = TimeSpan.FromSeconds(1), BreakMinimumCalls = 2, BreakDuration = TimeSpan.FromSeconds(30) };

    /// <summary>Accepts TCP connections (the kernel completes them) and never reads or writes: a hung server.</summary>
    private readonly TcpListener _silent = Listening();

    private static TcpListener Listening()
    {
        var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start(backlog: 64);
        return listener;
    }

    public void Dispose() => _silent.Stop();

    private int SilentPort => ((IPEndPoint)_silent.LocalEndpoint).Port;

    private static int DeadPort()
    {
        using var probe = new TcpListener(IPAddress.Loopback, 0);
        probe.Start();
        return ((IPEndPoint)probe.LocalEndpoint).Port; // closed again when disposed: connection refused
    }

    private static MongoRecordingCatalog Mongo(int port) => new(
        Options.Create(Copy(Bounds, "mongo", $"mongodb://127.0.0.1:{port}/?directConnection=true")), NullLogger<MongoRecordingCatalog>.Instance);

    private static PostgresRecordingCatalog Postgres(int port) => new(
        Options.Create(Copy(Bounds, "postgres", $"Host=127.0.0.1;Port={port};Database=focus;Username=focus;Password=focus;Timeout=30;Command Timeout=60")),
        NullLogger<PostgresRecordingCatalog>.Instance);

    private static CatalogOptions Copy(CatalogOptions o, string kind, string connectionString) => new()
    {
        Kind = Enum.Parse<CatalogKind>(kind, ignoreCase: true), ConnectionString = connectionString, Timeout = o.Timeout, BreakMinimumCalls = o.BreakMinimumCalls, BreakDuration = o.BreakDuration,
    };

    public static TheoryData<string> Outages => new() { "mongo, nothing listening", "mongo, never answering", "postgres, nothing listening", "postgres, never answering" };

    private IRecordingCatalog Catalog(string outage) => outage switch
    {
        "mongo, nothing listening" => Mongo(DeadPort()),
        "mongo, never answering" => Mongo(SilentPort),
        "postgres, nothing listening" => Postgres(DeadPort()),
        "postgres, never answering" => Postgres(SilentPort),
        _ => throw new ArgumentOutOfRangeException(nameof(outage)),
    };

    [Theory]
    [MemberData(nameof(Outages))]
    public async Task Every_call_fails_within_its_bound_then_at_once_while_the_circuit_is_open(string outage)
    {
        var catalog = Catalog(outage);
        try
        {
            // The driver defaults would wait 30 s (MongoDB server selection) or 15 s + 30 s (Npgsql connect + command),
            // and this connection string asks Npgsql for 30 s + 60 s: the catalog's 1 s bound wins.
            for (var call = 0; call < Bounds.BreakMinimumCalls; call++)
            {
                var (error, elapsed) = await Failing(() => call == 0
                    ? catalog.FindOverlapping(T0, T0.AddHours(1), CancellationToken.None)
                    : catalog.CheckReachableAsync(CancellationToken.None));
                output.WriteLine($"{outage}: call {call + 1} failed in {elapsed.TotalMilliseconds:F0} ms: {error.Message}");
                // Far below the drivers' own waits (30 s and more), with room for a loaded machine.
                Assert.InRange(elapsed, TimeSpan.Zero, TimeSpan.FromSeconds(10));
                Assert.Contains($"recording catalog ({catalog.Kind})", error.Message);
                Assert.InRange(error.RetryAfter, TimeSpan.FromSeconds(1), Bounds.BreakDuration);
            }

            // The circuit is open: the database is not asked (no wait), and Retry-After is the break's time left.
            var (open, fast) = await Failing(() => catalog.FindOverlapping(T0, T0.AddHours(1), CancellationToken.None));
            output.WriteLine($"{outage}: circuit open, failed in {fast.TotalMilliseconds:F1} ms, Retry-After {open.RetryAfter.TotalSeconds:F1} s: {open.Message}");
            Assert.Contains("asked again in", open.Message);
            Assert.Contains($"recording catalog ({catalog.Kind})", open.Message);
            Assert.InRange(open.RetryAfter, Bounds.BreakDuration - TimeSpan.FromSeconds(10), Bounds.BreakDuration);
        }
        finally
        {
            switch (catalog)
            {
                case IAsyncDisposable a: await a.DisposeAsync(); break;
                case IDisposable d: d.Dispose(); break;
            }
        }
    }

    [Fact]
    public void The_drivers_own_timeouts_are_the_catalogs_bound_whatever_the_connection_string_says()
    {
        var mongo = MongoRecordingCatalog.Settings("mongodb://db.example:27017/?serverSelectionTimeoutMS=60000&connectTimeoutMS=60000&socketTimeoutMS=0", TimeSpan.FromSeconds(2));
        Assert.Equal(TimeSpan.FromSeconds(2), mongo.ServerSelectionTimeout);
        Assert.Equal(TimeSpan.FromSeconds(2), mongo.ConnectTimeout);
        Assert.Equal(TimeSpan.FromSeconds(2), mongo.SocketTimeout);
        Assert.True(mongo.WaitQueueTimeout <= TimeSpan.FromSeconds(2));
        var shorter = MongoRecordingCatalog.Settings("mongodb://db.example:27017/?connectTimeoutMS=500", TimeSpan.FromSeconds(2));
        Assert.Equal(TimeSpan.FromMilliseconds(500), shorter.ConnectTimeout);

        var postgres = new Npgsql.NpgsqlConnectionStringBuilder(
            PostgresRecordingCatalog.Bounded("Host=db.example;Database=focus;Timeout=60;Command Timeout=600", TimeSpan.FromSeconds(2)));
        Assert.Equal((2, 2), (postgres.Timeout, postgres.CommandTimeout));
        Assert.InRange(postgres.CancellationTimeout, 1, 500);
    }

    [Theory]
    [InlineData("postgres", "Host=db;Database=focus", "00:00:02", 0.5, 3, "00:00:05", null)]
    [InlineData("mongo", "mongodb://db:27017", "00:00:04", 1.0, 2, "00:00:00.5", null)]
    [InlineData("postgres", "Host=db;Database=focus", "00:00:05", 0.5, 3, "00:00:05", "Timeout")]
    [InlineData("postgres", "Host=db;Database=focus", "00:00:00.05", 0.5, 3, "00:00:05", "Timeout")]
    [InlineData("postgres", "Host=db;Database=focus", "00:00:02", 0, 3, "00:00:05", "BreakFailureRatio")]
    [InlineData("postgres", "Host=db;Database=focus", "00:00:02", 1.5, 3, "00:00:05", "BreakFailureRatio")]
    [InlineData("postgres", "Host=db;Database=focus", "00:00:02", 0.5, 1, "00:00:05", "BreakMinimumCalls")]
    [InlineData("postgres", "Host=db;Database=focus", "00:00:02", 0.5, 3, "00:00:00.1", "BreakDuration")]
    [InlineData("mongo", "http://db:27017", "00:00:02", 0.5, 3, "00:00:05", "ConnectionString")]
    [InlineData("postgres", "Host=db;Nonsense=1", "00:00:02", 0.5, 3, "00:00:05", "ConnectionString")]
    public void Options_are_checked_at_start(string kind, string connectionString, string timeout, double ratio, int minimumCalls, string breakDuration, string? wrong)
    {
        var result = new CatalogOptionsValidator().Validate(null, new CatalogOptions
        {
            Kind = Enum.Parse<CatalogKind>(kind, ignoreCase: true), ConnectionString = connectionString, Timeout = TimeSpan.Parse(timeout, System.Globalization.CultureInfo.InvariantCulture),
            BreakFailureRatio = ratio, BreakMinimumCalls = minimumCalls,
            BreakDuration = TimeSpan.Parse(breakDuration, System.Globalization.CultureInfo.InvariantCulture),
        });
        if (wrong is null) Assert.True(result.Succeeded, result.FailureMessage);
        else Assert.Contains($"{CatalogOptions.Section}:{wrong}", Assert.Single(result.Failures!));
    }

    private static async Task<(CatalogUnavailableException Error, TimeSpan Elapsed)> Failing(Func<Task> call)
    {
        var watch = Stopwatch.StartNew();
        var error = await Assert.ThrowsAsync<CatalogUnavailableException>(call);
        return (error, watch.Elapsed);
    }
}
