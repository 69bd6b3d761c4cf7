using Focus.Grains.Jobs;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;

namespace Focus.Gateway.Problems;

/// <summary>
/// The error bodies of CONTRACT §1: RFC 7807 with <c>detail</c>, and the same text again in
/// <c>error</c>, which production clients read.
/// </summary>
public static class FocusProblems
{
    public static ProblemHttpResult From(JobProblem problem, HttpContext context) => problem.Kind switch
    {
        JobProblemKind.Invalid => Unprocessable(problem.Errors ?? new Dictionary<string, string[]>(), problem.Detail),
        JobProblemKind.NoRecording => Create(StatusCodes.Status400BadRequest, "No recording", problem.Detail),
        JobProblemKind.IdempotencyConflict => Create(StatusCodes.Status409Conflict, "Idempotency-Key conflict", problem.Detail),
        JobProblemKind.Unavailable => Unavailable(problem.Detail, problem.RetryAfter, context),
        JobProblemKind.QuotaExceeded => TooMany(problem.Detail, problem.RetryAfter, context),
        _ => Create(StatusCodes.Status500InternalServerError, "Internal error", problem.Detail),
    };

    public static ProblemHttpResult Unprocessable(IReadOnlyDictionary<string, string[]> errors, string? detail = null)
    {
        var problem = new HttpValidationProblemDetails(errors.ToDictionary(e => e.Key, e => e.Value))
        {
            Status = StatusCodes.Status422UnprocessableEntity,
            Title = "The request is invalid",
            Detail = detail ?? string.Join("; ", errors.SelectMany(e => e.Value)),
        };
        problem.Extensions["error"] = problem.Detail;
        return TypedResults.Problem(problem);
    }

    public static ProblemHttpResult Unprocessable(FieldErrors errors) => Unprocessable(errors.ToDictionary(), errors.Detail);

    public static ProblemHttpResult Unprocessable(string field, string message) =>
        Unprocessable(new Dictionary<string, string[]> { [field] = [message] });

    /// <summary>400 for a bad path or query value: <c>errors</c> names the field, as a 422 does for bodies.</summary>
    public static ProblemHttpResult BadRequest(string field, string message)
    {
        var problem = new HttpValidationProblemDetails(new Dictionary<string, string[]> { [field] = [message] })
        {
            Status = StatusCodes.Status400BadRequest,
            Title = "The request is invalid",
            Detail = message,
        };
        problem.Extensions["error"] = message;
        return TypedResults.Problem(problem);
    }

    public static ProblemHttpResult UnknownJob(string jobId) =>
        Create(StatusCodes.Status404NotFound, "Unknown job", $"Invalid job_id: {jobId}");

    /// <summary>403 with auth on: the role or the job's owner does not allow it. Says nothing of the job.</summary>
    public static ProblemHttpResult Forbidden(string detail) =>
        Create(StatusCodes.Status403Forbidden, "Forbidden", detail);

    public static ProblemHttpResult NotYourJob() =>
        Forbidden("this job belongs to another identity; an analyst may use only the jobs they configured");

    public static ProblemHttpResult TooLarge(long limit) =>
        Create(StatusCodes.Status413PayloadTooLarge, "Request body too large", $"the request body is larger than {limit} bytes");

    public static ProblemHttpResult Unavailable(string detail, TimeSpan? retryAfter, HttpContext context)
    {
        if (retryAfter is { } wait)
            context.Response.Headers.RetryAfter = ((int)Math.Ceiling(wait.TotalSeconds)).ToString(System.Globalization.CultureInfo.InvariantCulture);
        return Create(StatusCodes.Status503ServiceUnavailable, "Service unavailable", detail);
    }

    /// <summary>429: a per-client quota; <c>Retry-After</c> says when trying again may help.</summary>
    public static ProblemHttpResult TooMany(string detail, TimeSpan? retryAfter, HttpContext context)
    {
        context.Response.Headers.RetryAfter = ((int)Math.Ceiling((retryAfter ?? TimeSpan.FromSeconds(10)).TotalSeconds)).ToString(System.Globalization.CultureInfo.InvariantCulture);
        return Create(StatusCodes.Status429TooManyRequests, "Quota reached", detail);
    }

    public static ProblemHttpResult Create(int status, string title, string detail)
    {
        var problem = new ProblemDetails { Status = status, Title = title, Detail = detail };
        problem.Extensions["error"] = detail;
        return TypedResults.Problem(problem);
    }
}
