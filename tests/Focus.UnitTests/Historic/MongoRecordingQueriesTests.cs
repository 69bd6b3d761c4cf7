using Focus.Grains.Recordings;
using MongoDB.Bson;
using MongoDB.Bson.IO;

namespace Focus.UnitTests.Historic;

/// <summary>
/// What the mongo back end sends, rendered and compared (no MongoDB server can run on these machines, so the
/// back end is untested against a live one).
/// </summary>
public sealed class MongoRecordingQueriesTests
{
    private static readonly DateTimeOffset Start = new(2025, 3, 1, 10, 0, 0, TimeSpan.Zero);
    private static readonly DateTimeOffset End = Start.AddHours(1);

    private static string Json(BsonDocument document) => document.ToJson(new JsonWriterSettings { OutputMode = JsonOutputMode.CanonicalExtendedJson });

    [Fact]
    public void The_overlap_filter_leaves_out_deleted_recordings_and_keeps_those_still_recording()
    {
        var filter = MongoRecordingQueries.Overlapping(Start, End);
        Assert.Equal(
            """{ "deleted" : { "$ne" : true }, "start_time" : { "$lt" : { "$date" : { "$numberLong" : "1740826800000" } } }, "$or" : [{ "end_time" : null }, { "end_time" : { "$gt" : { "$date" : { "$numberLong" : "1740823200000" } } } }] }""",
            Json(filter));
        Assert.Equal("""{ "start_time" : 1 }""", MongoRecordingQueries.ByStart.ToJson());
        Assert.Equal(["uuid", "start_time", "end_time", "deleted"], MongoRecordingQueries.Indexes.Select(i => i.Names.Single()));
        Assert.Equal(("prisma", "base_paths"), (MongoRecordingQueries.Database, MongoRecordingQueries.BasePaths));
    }

    [Fact]
    public void A_recording_document_maps_to_its_file_under_the_base_path()
    {
        var document = MongoRecordingQueries.ToDocument("5c3c8f0e-0000-4000-8000-000000000001", Start, End);
        Assert.Equal(
            """{ "uuid" : "5c3c8f0e-0000-4000-8000-000000000001", "start_time" : { "$date" : { "$numberLong" : "1740823200000" } }, "end_time" : { "$date" : { "$numberLong" : "1740826800000" } }, "deleted" : false }""",
            Json(document));
        var recording = MongoRecordingQueries.ToRecording(document, "/data/recordings/fiber-a")!;
        Assert.Equal("5c3c8f0e-0000-4000-8000-000000000001", recording.Id);
        Assert.Equal("/data/recordings/fiber-a/5c3c8f0e-0000-4000-8000-000000000001.h5", recording.Path);
        Assert.Equal((Start, End), (recording.Start, recording.End!.Value));
        Assert.False(recording.IsDescribed); // prr and channels come from the file's header
    }

    [Fact]
    public void Still_recording_binary_uuids_and_epoch_times_are_understood()
    {
        var guid = Guid.Parse("5c3c8f0e-0000-4000-8000-000000000002");
        var document = new BsonDocument
        {
            { "uuid", new BsonBinaryData(guid, GuidRepresentation.Standard) },
            { "start_time", Start.ToUnixTimeSeconds() },
            { "end_time", BsonNull.Value },
            { "deleted", false },
        };
        var recording = MongoRecordingQueries.ToRecording(document, "/data")!;
        Assert.Equal(guid.ToString(), recording.Id);
        Assert.Equal(Start, recording.Start);
        Assert.True(recording.IsRecording);
        Assert.Equal([Start.ToUnixTimeSeconds(), -1], recording.ToEpochSpan());

        Assert.Null(MongoRecordingQueries.ToRecording(new BsonDocument("start_time", Start.UtcDateTime), "/data")); // no uuid
    }
}
