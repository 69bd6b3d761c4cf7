using System.Text.Json.Serialization;
using Focus.Gateway.Problems;
using Focus.Grains.Time;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.Options;

namespace Focus.Gateway.Apis;

/// <summary>
/// What storage holds. Historic playback is not configured in this build, so there are no
/// recordings to report: both routes validate and answer an empty catalog.
/// </summary>
public static class RecordingsApi
{
    public static IEndpointRouteBuilder MapRecordingsApi(this IEndpointRouteBuilder app)
    {
        var recordings = app.MapGroup("").WithTags("Recordings");
        recordings.MapPost("/recordings_in_time_range", InTimeRange).WithName("RecordingsInTimeRange");
        recordings.MapGet("/get_recordings_timeline", Timeline).WithName("RecordingsTimeline");
        return app;
    }

    internal static async Task<Results<Ok<RecordingsResponse>, ProblemHttpResult>> InTimeRange(
        HttpContext http, IOptions<GatewayOptions> options, CancellationToken cancellationToken)
    {
        var (document, problem) = await JsonBody.ReadAsync(http.Request, options.Value.MaxRequestBodyBytes, cancellationToken);
        if (problem is not null) return problem;
        using var body = document!;
        var window = TimeWindowParser.Parse(body.RootElement);
        if (!window.IsValid) return FocusProblems.Unprocessable(window.Errors);
        return TypedResults.Ok(new RecordingsResponse([]));
    }

    internal static ContentHttpResult Timeline() =>
        TypedResults.Content(RecordingsTimelinePage.Render([], DateTimeOffset.UtcNow), "text/html; charset=utf-8");
}

public sealed record RecordingsResponse([property: JsonPropertyName("recordings")] IReadOnlyList<long[]> Recordings);
