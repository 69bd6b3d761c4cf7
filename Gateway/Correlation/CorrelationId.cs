using Microsoft.AspNetCore.Http;

namespace Focus.Gateway.Correlation;

/// <summary>The request's correlation id: echoed from <c>X-Correlation-ID</c> or made here.</summary>
public static class CorrelationId
{
    public const string Header = "X-Correlation-ID";
    private const int MaxLength = 128;

    public static string Of(HttpContext context) =>
        context.Items.TryGetValue(Header, out var id) && id is string text ? text : context.TraceIdentifier;

    internal static string FromRequest(HttpContext context)
    {
        var given = context.Request.Headers[Header].ToString();
        // Echo what the client sent when it is a sane token; never reflect arbitrary bytes into logs and headers.
        return given.Length is > 0 and <= MaxLength && given.All(c => char.IsAsciiLetterOrDigit(c) || c is '-' or '_' or '.' or ':')
            ? given
            : Guid.NewGuid().ToString("N");
    }
}
