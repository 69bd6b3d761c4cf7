using System.Text.Json.Serialization;
using Focus.Gateway.Problems;
using Focus.Grains.Recordings;
using Focus.Grains.Time;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.Options;

namespace Focus.Gateway.Apis;

/// <summary>
/// What storage holds (CONTRACT §1): the recordings overlapping a window, and an HTML timeline of the last days.
/// Both ask the cluster's recording catalog (<see cref="IRecordingsGrain"/>); an unreachable catalog is a 503.
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
        HttpContext http, IOptions<RestGatewayOptions> options, IGrainFactory grains, CancellationToken cancellationToken)
    {
        var (document, problem) = await JsonBody.ReadAsync(http.Request, options.Value.MaxRequestBodyBytes, cancellationToken);
        if (problem is not null) return problem;
        using var body = document!;
        var window = TimeWindowParser.Parse(body.RootElement);
        if (!window.IsValid) return FocusProblems.Unprocessable(window.Errors);
        try
        {
            var found = await grains.GetGrain<IRecordingsGrain>(0).FindOverlapping(window.Window.Start, window.Window.End);
            return TypedResults.Ok(new RecordingsResponse(found.OrderBy(r => r.Start).Select(r => r.ToEpochSpan()).ToArray()));
        }
        catch (CatalogUnavailableException ex)
        {
            return FocusProblems.Unavailable(ex.Message, ex.RetryAfter, http);
        }
    }

    internal static async Task<Results<ContentHttpResult, ProblemHttpResult>> Timeline(HttpContext http, IGrainFactory grains, TimeProvider clock)
    {
        var now = clock.GetUtcNow();
        try
        {
            var found = await grains.GetGrain<IRecordingsGrain>(0).FindOverlapping(now - RecordingsTimelinePage.Span, now);
            var spans = found.Select(r => r.ToEpochSpan()).Select(s => (s[0], s[1])).ToArray();
            return TypedResults.Content(RecordingsTimelinePage.Render(spans, now), "text/html; charset=utf-8");
        }
        catch (CatalogUnavailableException ex)
        {
            return FocusProblems.Unavailable(ex.Message, ex.RetryAfter, http);
        }
    }
}

public sealed record RecordingsResponse([property: JsonPropertyName("recordings")] IReadOnlyList<long[]> Recordings);
