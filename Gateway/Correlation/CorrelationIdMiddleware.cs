using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;

namespace Focus.Gateway.Correlation;

/// <summary>Puts the correlation id on every response and in the log scope of everything the request does.</summary>
internal sealed class CorrelationIdMiddleware(RequestDelegate next, ILogger<CorrelationIdMiddleware> logger)
{
    public async Task InvokeAsync(HttpContext context)
    {
        var id = CorrelationId.FromRequest(context);
        context.Items[CorrelationId.Header] = id;
        context.Response.OnStarting(() =>
        {
            context.Response.Headers[CorrelationId.Header] = id;
            return Task.CompletedTask;
        });
        using (logger.BeginScope(new Dictionary<string, object> { ["CorrelationId"] = id }))
            await next(context);
    }
}
