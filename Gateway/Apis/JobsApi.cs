using System.Diagnostics;
using System.Security.Claims;
using System.Text.Json;
using Focus.Gateway.Audit;
using Focus.Gateway.Contracts;
using Focus.Gateway.Correlation;
using Focus.Gateway.Metrics;
using Focus.Gateway.Problems;
using Focus.Gateway.RateLimits;
using Focus.Gateway.Security;
using Focus.Grains.Fiber;
using Focus.Grains.Jobs;
using Focus.Telemetry;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.Options;

namespace Focus.Gateway.Apis;

/// <summary>Creating, reading, listing and cancelling investigations (CONTRACT §1).</summary>
public static class JobsApi
{
    private const int MaxIdempotencyKeyLength = 200;
    private const int MaxJobIdLength = 64;

    public static IEndpointRouteBuilder MapJobsApi(this IEndpointRouteBuilder app)
    {
        var jobs = app.MapGroup("").WithTags("Jobs");
        jobs.MapPost("/configure", Configure)
            .WithName("Configure")
            .Accepts<ConfigureRequestDocument>("application/json")
            .ProducesProblem(StatusCodes.Status422UnprocessableEntity)
            .ProducesProblem(StatusCodes.Status413PayloadTooLarge)
            .ProducesProblem(StatusCodes.Status409Conflict)
            .ProducesProblem(StatusCodes.Status429TooManyRequests)
            .ProducesProblem(StatusCodes.Status503ServiceUnavailable)
            .RequireRateLimiting(ConfigureRateLimit.Policy);
        jobs.MapGet("/metadata/{job_id}", GetMetadata).WithName("GetJobMetadata");
        jobs.MapDelete("/job/{job_id}", Cancel).WithName("CancelJob");
        jobs.MapGet("/jobs", List).WithName("ListJobs");
        return app;
    }

    internal static async Task<Results<Ok<ConfigureResponse>, ProblemHttpResult>> Configure(
        HttpContext http,
        IGrainFactory grains,
        GatewayInstruments instruments,
        IOptions<RestGatewayOptions> options,
        JobAccess access,
        AuditLog audit,
        CancellationToken cancellationToken)
    {
        var started = Stopwatch.GetTimestamp();
        var result = await CreateJob(http, grains, options.Value, access, audit, cancellationToken);
        instruments.ConfigureAnswered(Stopwatch.GetElapsedTime(started), result.Result is ProblemHttpResult p ? p.StatusCode : StatusCodes.Status200OK);
        return result;
    }

    private static async Task<Results<Ok<ConfigureResponse>, ProblemHttpResult>> CreateJob(
        HttpContext http, IGrainFactory grains, RestGatewayOptions options, JobAccess access, AuditLog audit, CancellationToken cancellationToken)
    {
        var (document, problem) = await JsonBody.ReadAsync(http.Request, options.MaxRequestBodyBytes, cancellationToken);
        if (problem is not null) return problem;
        using var body = document!;

        var parsed = ConfigureRequestParser.Parse(body.RootElement);
        if (parsed.Request is not { } request)
            return FocusProblems.Unprocessable(parsed.Errors);

        var idempotencyKey = http.Request.Headers["Idempotency-Key"].ToString();
        if (idempotencyKey.Length > MaxIdempotencyKeyLength)
            return FocusProblems.Unprocessable("Idempotency-Key", $"Idempotency-Key: at most {MaxIdempotencyKeyLength} characters");

        if (!request.IsHistoric)
        {
            // Checked here too so that a request the fiber rules out never takes an admission slot.
            var fiber = await grains.GetGrain<IMetadataGrain>(MetadataKey.Value).Get();
            if (fiber.IsKnown && ConfigureRequestValidator.Validate(request, fiber) is { IsEmpty: false } errors)
                return FocusProblems.Unprocessable(errors);
        }

        FocusTracing.PassToGrains(); // the registry and the job log this request's trace id, traced or not
        var outcome = await grains.GetGrain<IJobRegistryGrain>(JobRegistryKey.Value)
            .Create(request, idempotencyKey.Length == 0 ? null : idempotencyKey, CorrelationId.Of(http), JobCallers.Of(http));
        if (outcome.Job is not { } job) return FocusProblems.From(outcome.Problem!, http);
        Activity.Current?.SetTag("focus.job_id", job.JobId);
        audit.Configured(http, job.JobId);
        return TypedResults.Ok(JobResponses.Configured(job) with { StreamToken = access.StreamToken(job.JobId) });
    }

    internal static async Task<Results<Ok<JobMetadataResponse>, ProblemHttpResult>> GetMetadata(
        [FromRoute(Name = "job_id")] string jobId, IGrainFactory grains, ClaimsPrincipal user, JobAccess access)
    {
        if (jobId.Length > MaxJobIdLength) return FocusProblems.UnknownJob(jobId[..MaxJobIdLength]);
        if (await grains.GetGrain<IJobGrain>(jobId).GetStatus() is not { } job) return FocusProblems.UnknownJob(jobId);
        if (!access.MayUse(user, job.Caller)) return FocusProblems.NotYourJob();
        return TypedResults.Ok(JobResponses.Metadata(job) with { StreamToken = access.StreamToken(job.JobId) });
    }

    internal static async Task<Results<Ok<JobMetadataResponse>, ProblemHttpResult>> Cancel(
        [FromRoute(Name = "job_id")] string jobId, IGrainFactory grains, HttpContext http, JobAccess access, AuditLog audit)
    {
        if (jobId.Length > MaxJobIdLength) return FocusProblems.UnknownJob(jobId[..MaxJobIdLength]);
        var grain = grains.GetGrain<IJobGrain>(jobId);
        if (access.IsOn) // the owner is checked before anything is stopped
        {
            if (await grain.GetStatus() is not { } current) return FocusProblems.UnknownJob(jobId);
            if (!access.MayUse(http.User, current.Caller)) return FocusProblems.NotYourJob();
        }
        if (await grain.Cancel() is not { } job) return FocusProblems.UnknownJob(jobId);
        audit.Cancelled(http, jobId);
        return TypedResults.Ok(JobResponses.Metadata(job));
    }

    internal static async Task<Results<Ok<JobListResponse>, ProblemHttpResult>> List(
        [FromQuery] string? state, IGrainFactory grains, TimeProvider clock, ClaimsPrincipal user, JobAccess access)
    {
        JobPhase? phase = null;
        if (!string.IsNullOrEmpty(state))
        {
            if (!JobPhaseExtensions.TryParseWire(state, out var parsed))
                return FocusProblems.Unprocessable("state", $"state: '{state}' is not one of {string.Join(", ", Enum.GetValues<JobPhase>().Select(p => p.ToWire()))}");
            phase = parsed;
        }

        var now = clock.GetUtcNow();
        var rows = await grains.GetGrain<IJobRegistryGrain>(JobRegistryKey.Value).List(phase);
        var everyJob = access.SeesEveryJob(user);
        return TypedResults.Ok(new JobListResponse(rows.Where(r => everyJob || access.MayUse(user, r.Caller)).Select(r => new JobListRow(
            r.JobId, r.Phase.ToWire(), r.Mode, r.Silo, r.StreamPort,
            Math.Round((now - r.CreatedAt).TotalSeconds, 3), WireTime.Format(r.CreatedAt), r.Caller?.Owner)).ToList()));
    }
}
