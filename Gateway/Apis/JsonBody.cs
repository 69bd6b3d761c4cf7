using System.Buffers;
using System.Text.Json;
using Focus.Gateway.Problems;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.AspNetCore.Http.HttpResults;

namespace Focus.Gateway.Apis;

/// <summary>
/// Reads a JSON request body within the size limit. Parsing is ours, not model binding's, so a body
/// that is not JSON is a 422 and an oversized one a 413, each with a problem body.
/// </summary>
internal static class JsonBody
{
    private static readonly JsonDocumentOptions Options = new() { MaxDepth = 32 };

    public static async Task<(JsonDocument? Document, ProblemHttpResult? Problem)> ReadAsync(
        HttpRequest request, long limit, CancellationToken cancellationToken)
    {
        if (request.ContentLength > limit)
            return (null, FocusProblems.TooLarge(limit));
        if (request.HttpContext.Features.Get<IHttpMaxRequestBodySizeFeature>() is { IsReadOnly: false } size)
            size.MaxRequestBodySize = limit + 1;

        var buffer = new ArrayBufferWriter<byte>(4096);
        try
        {
            while (true)
            {
                var memory = buffer.GetMemory(16 * 1024);
                var read = await request.Body.ReadAsync(memory, cancellationToken);
                if (read == 0) break;
                buffer.Advance(read);
                if (buffer.WrittenCount > limit)
                    return (null, FocusProblems.TooLarge(limit));
            }
        }
        catch (BadHttpRequestException ex) when (ex.StatusCode == StatusCodes.Status413PayloadTooLarge)
        {
            return (null, FocusProblems.TooLarge(limit));
        }

        if (buffer.WrittenCount == 0)
            return (null, FocusProblems.Unprocessable("body", "body: a JSON object is required"));
        try
        {
            return (JsonDocument.Parse(buffer.WrittenMemory, Options), null);
        }
        catch (JsonException ex)
        {
            return (null, FocusProblems.Unprocessable("body", $"body: not valid JSON ({ex.Message})"));
        }
    }
}
