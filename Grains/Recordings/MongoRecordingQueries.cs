using MongoDB.Bson;

namespace Focus.Grains.Recordings;

/// <summary>
/// The documents and filters the mongo back end sends, in the production <c>prisma</c> layout (CONTRACT §4):
/// <c>base_paths</c> holds <c>{base_path, guid}</c>; the collection named by each guid holds
/// <c>{uuid, start_time, end_time (null while recording), deleted}</c>. Pure, so tests render them.
/// </summary>
public static class MongoRecordingQueries
{
    public const string Database = "prisma";
    public const string BasePaths = "base_paths";

    /// <summary>Overlap of [start, end] (s &lt; end and (e null or e &gt; start)), deleted recordings left out.</summary>
    public static BsonDocument Overlapping(DateTimeOffset start, DateTimeOffset end) => new()
    {
        { "deleted", new BsonDocument("$ne", true) },
        { "start_time", new BsonDocument("$lt", new BsonDateTime(end.UtcDateTime)) },
        {
            "$or", new BsonArray
            {
                new BsonDocument("end_time", BsonNull.Value), // null or missing: still recording
                new BsonDocument("end_time", new BsonDocument("$gt", new BsonDateTime(start.UtcDateTime))),
            }
        },
    };

    public static BsonDocument ByStart { get; } = new("start_time", 1);

    /// <summary>The single-field indexes the layout keeps on every per-guid collection.</summary>
    public static IReadOnlyList<BsonDocument> Indexes { get; } =
        [new("uuid", 1), new("start_time", 1), new("end_time", 1), new("deleted", 1)];

    /// <summary>A recording document of the collection of <paramref name="basePath"/>; null when it lacks uuid or start_time.</summary>
    public static RecordingInfo? ToRecording(BsonDocument document, string basePath)
    {
        if (Uuid(document.GetValue("uuid", BsonNull.Value)) is not { } uuid) return null;
        if (Time(document.GetValue("start_time", BsonNull.Value)) is not { } start) return null;
        return new RecordingInfo
        {
            Id = uuid,
            Path = FilePath(basePath, uuid),
            Start = start,
            End = Time(document.GetValue("end_time", BsonNull.Value)),
        };
    }

    /// <summary>
    /// The file of recording <paramref name="uuid"/>: <c>{base_path}/{uuid}</c> with the first of .h5, .hdf5, .he5, .sgy,
    /// .segy that exists (<c>.h5</c> when none does), as the folder catalog names recordings.
    /// </summary>
    public static string FilePath(string basePath, string uuid) => Focus.Analyzer.Historic.Formats.RecordingFormats.Locate(basePath, uuid);

    /// <summary>The documents the service (and its tests) write: what a recorder stores.</summary>
    public static BsonDocument ToDocument(string uuid, DateTimeOffset start, DateTimeOffset? end, bool deleted = false) => new()
    {
        { "uuid", uuid },
        { "start_time", new BsonDateTime(start.UtcDateTime) },
        { "end_time", end is { } e ? new BsonDateTime(e.UtcDateTime) : BsonNull.Value },
        { "deleted", deleted },
    };

    private static string? Uuid(BsonValue value) => value switch
    {
        BsonString s when s.Value.Length > 0 => s.Value,
        BsonBinaryData { SubType: BsonBinarySubType.UuidStandard } b => b.ToGuid(GuidRepresentation.Standard).ToString(),
        BsonBinaryData { SubType: BsonBinarySubType.UuidLegacy } b => b.ToGuid(GuidRepresentation.CSharpLegacy).ToString(),
        _ => null,
    };

    /// <summary>A BSON date, epoch seconds (number) or an ISO 8601 string.</summary>
    private static DateTimeOffset? Time(BsonValue value) => value switch
    {
        BsonDateTime d => new DateTimeOffset(d.ToUniversalTime(), TimeSpan.Zero),
        BsonInt64 or BsonInt32 or BsonDouble => DateTimeOffset.UnixEpoch.AddTicks((long)(value.ToDouble() * TimeSpan.TicksPerSecond)),
        BsonString s when DateTimeOffset.TryParse(s.Value, System.Globalization.CultureInfo.InvariantCulture,
            System.Globalization.DateTimeStyles.AssumeUniversal, out var t) => t.ToUniversalTime(),
        _ => null,
    };
}
