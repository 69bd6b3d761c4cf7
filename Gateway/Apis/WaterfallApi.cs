using System.ComponentModel;
using System.Globalization;
using System.Security.Claims;
using Focus.Gateway.Contracts;
using Focus.Gateway.Problems;
using Focus.Gateway.Security;
using Focus.Grains.Jobs;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Routing;

namespace Focus.Gateway.Apis;

/// <summary>
/// Production's REST pull of a job's lines (CONTRACT §1, GET /waterfall/{job_id}/{row_count}), for clients without
/// gRPC. The job's grain reaches the pull buffer wherever the job runs.
/// </summary>
public static class WaterfallApi
{
    public const int MaxRowCount = 1000;
    private const int MaxJobIdLength = 64;

    public static IEndpointRouteBuilder MapWaterfallApi(this IEndpointRouteBuilder app)
    {
        app.MapGet("/waterfall/{job_id}/{row_count}", Pull)
            .WithTags("Jobs")
            .WithName("PullWaterfall")
            .WithSummary("Pulls up to row_count of the job's oldest waiting lines")
            .WithDescription("The first pull opens the job's pull buffer (the newest 1,000 lines or 8 MiB); a pull counts as a read. " +
                "201: lines; 200 (empty body): none waiting yet; 208: the job has ended (historic: played out and every line pulled).")
            .Produces(StatusCodes.Status200OK)
            .Produces(StatusCodes.Status208AlreadyReported)
            .ProducesProblem(StatusCodes.Status400BadRequest)
            .ProducesProblem(StatusCodes.Status404NotFound);
        return app;
    }

    internal static async Task<Results<Created<WaterfallPage[]>, Ok, StatusCodeHttpResult, ProblemHttpResult>> Pull(
        [FromRoute(Name = "job_id")] string jobId,
        [FromRoute(Name = "row_count"), Description("Lines to take at most: an integer from 1 to 1000 (anything else is a 400)")] string rowCount,
        IGrainFactory grains, ClaimsPrincipal user, JobAccess access)
    {
        if (!int.TryParse(rowCount, NumberStyles.None, CultureInfo.InvariantCulture, out var rows) || rows is < 1 or > MaxRowCount)
            return FocusProblems.BadRequest("row_count",
                $"row_count: '{Truncate(rowCount)}' is invalid, must be an integer from 1 to {MaxRowCount}");
        if (jobId.Length > MaxJobIdLength) return FocusProblems.UnknownJob(jobId[..MaxJobIdLength]);

        var grain = grains.GetGrain<IJobGrain>(jobId);
        if (access.IsOn) // a pull reads the job's lines: only whoever may read the job
        {
            if (await grain.GetStatus() is not { } job) return FocusProblems.UnknownJob(jobId);
            if (!access.MayUse(user, job.Caller)) return FocusProblems.NotYourJob();
        }
        var result = await grain.Pull(rows);
        return result?.State switch
        {
            null => FocusProblems.UnknownJob(jobId),
            PullState.Lines => TypedResults.Created((string?)null, new[] { Page(jobId, result.Rows) }),
            PullState.Empty => TypedResults.Ok(),
            _ => TypedResults.StatusCode(StatusCodes.Status208AlreadyReported),
        };
    }

    private static WaterfallPage Page(string jobId, IReadOnlyList<PulledRow> pulled)
    {
        var (max, min) = (float.NegativeInfinity, float.PositiveInfinity);
        var rows = new WaterfallRow[pulled.Count];
        for (var r = 0; r < rows.Length; r++)
        {
            var line = pulled[r];
            var width = line.ValuesPerChannel;
            var sensors = new WaterfallSensor[line.Channels.Length];
            for (var c = 0; c < sensors.Length; c++)
                sensors[c] = new WaterfallSensor(line.Channels[c], new ArraySegment<float>(line.Values, c * width, width));
            foreach (var value in line.Values)
            {
                if (value > max) max = value;
                if (value < min) min = value;
            }
            rows[r] = new WaterfallRow(jobId, sensors, line.StartTimestamp, line.EndTimestamp);
        }
        return float.IsInfinity(max) ? new WaterfallPage(rows, 0, 0) : new WaterfallPage(rows, max, min);
    }

    private static string Truncate(string text) => text.Length <= 32 ? text : text[..32] + "…";
}
