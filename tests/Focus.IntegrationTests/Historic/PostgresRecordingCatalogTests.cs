using Focus.Grains.Recordings;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;

namespace Focus.IntegrationTests.Historic;

/// <summary>The postgres back end against the real server ./test.sh starts (fails, never skips, without it).</summary>
public sealed class PostgresRecordingCatalogTests : IAsyncLifetime
{
    private static readonly DateTimeOffset T0 = new(2025, 3, 1, 10, 0, 0, TimeSpan.Zero);
    private string _connectionString = "";
    private PostgresRecordingCatalog _catalog = null!;

    public async Task InitializeAsync()
    {
        _connectionString = await TestPostgres.CreateDatabaseAsync();
        _catalog = new PostgresRecordingCatalog(Options.Create(new CatalogOptions { Kind = CatalogKind.Postgres, ConnectionString = _connectionString }),
            NullLogger<PostgresRecordingCatalog>.Instance);
        await _catalog.StartAsync(CancellationToken.None); // creates the table and index
        await _catalog.EnsureSchemaAsync(CancellationToken.None); // idempotent
    }

    public async Task DisposeAsync()
    {
        await _catalog.DisposeAsync();
        await TestPostgres.DropDatabaseAsync(_connectionString);
    }

    private static RecordingInfo Recording(string id, DateTimeOffset start, DateTimeOffset? end) =>
        new() { Id = id, Path = $"{id}.h5", Start = start, End = end, Prr = 2000, Channels = 64, Dx = 1.02 };

    [Fact]
    public async Task Answers_overlaps_in_start_order_ignoring_deleted_rows()
    {
        await _catalog.Register(Recording("b", T0.AddMinutes(10), T0.AddMinutes(20)));
        await _catalog.Register(Recording("a", T0, T0.AddMinutes(5)));
        await _catalog.Register(Recording("deleted", T0, T0.AddMinutes(30)), deleted: true);
        await _catalog.Register(Recording("live", T0.AddMinutes(40), null));

        var all = await _catalog.FindOverlapping(T0, T0.AddHours(1), CancellationToken.None);
        Assert.Equal(["a", "b", "live"], all.Select(r => r.Id));
        Assert.Equal((2000.0, 64, 1.02, "a.h5"), (all[0].Prr, all[0].Channels, all[0].Dx, all[0].Path));
        Assert.Equal(T0.AddMinutes(5), all[0].End);
        Assert.True(all[2].IsRecording);

        Assert.Equal(["a"], (await _catalog.FindOverlapping(T0.AddMinutes(4), T0.AddMinutes(10), CancellationToken.None)).Select(r => r.Id));
        Assert.Empty(await _catalog.FindOverlapping(T0.AddMinutes(5), T0.AddMinutes(10), CancellationToken.None));
        // Still recording: overlaps every window after its start.
        Assert.Equal(["live"], (await _catalog.FindOverlapping(T0.AddHours(5), T0.AddHours(6), CancellationToken.None)).Select(r => r.Id));
        Assert.Empty(await _catalog.FindOverlapping(T0.AddMinutes(30), T0.AddMinutes(40), CancellationToken.None));
    }

    [Fact]
    public async Task An_unreachable_server_is_an_unavailable_catalog()
    {
        await using var down = new PostgresRecordingCatalog(
            Options.Create(new CatalogOptions { Kind = CatalogKind.Postgres, ConnectionString = "Host=127.0.0.1;Port=1;Database=x;Username=x;Timeout=2" }),
            NullLogger<PostgresRecordingCatalog>.Instance);
        await Assert.ThrowsAsync<CatalogUnavailableException>(() => down.FindOverlapping(T0, T0.AddHours(1), CancellationToken.None));
    }
}
