using System.Buffers;
using System.Text.Json;
using System.Text.Unicode;
using Focus.Gateway.Problems;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.AspNetCore.Http.HttpResults;

namespace Focus.Gateway.Apis;

/// <summary>
/// Reads a JSON request body within the size limit. Parsing is ours, not model binding's, so a body
/// that is not JSON is a 422 and an oversized one a 413, each with a problem body. JSON text is UTF-8
/// (RFC 8259 §8.1) and its strings Unicode: a body with bytes that are no UTF-8 (overlong forms and
/// encoded surrogates included) or a string escaping half a surrogate pair is not JSON here either, so
/// no reader of a field meets text it cannot decode.
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
        if (!Utf8.IsValid(buffer.WrittenSpan))
            return (null, NotJson("it is not valid UTF-8"));
        JsonDocument document;
        try
        {
            document = JsonDocument.Parse(buffer.WrittenMemory, Options);
        }
        catch (JsonException ex)
        {
            return (null, NotJson(ex.Message));
        }
        if (!EscapesAreUnicode(buffer.WrittenSpan))
        {
            document.Dispose();
            return (null, NotJson("a string escapes an unpaired UTF-16 surrogate"));
        }
        return (document, null);
    }

    private static ProblemHttpResult NotJson(string why) => FocusProblems.Unprocessable("body", $"body: not valid JSON ({why})");

    /// <summary>Whether every escaped string and property name of well-formed JSON decodes (a lone <c>\ud800</c> does not).</summary>
    private static bool EscapesAreUnicode(ReadOnlySpan<byte> json)
    {
        var reader = new Utf8JsonReader(json, new JsonReaderOptions { MaxDepth = Options.MaxDepth });
        while (reader.Read())
        {
            if (reader.TokenType is not (JsonTokenType.String or JsonTokenType.PropertyName) || !reader.ValueIsEscaped) continue;
            try
            {
                reader.GetString();
            }
            catch (InvalidOperationException)
            {
                return false;
            }
        }
        return true;
    }
}
