using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json.Nodes;
using Focus.IntegrationTests.Infrastructure;

namespace Focus.IntegrationTests.Gateway;

/// <summary>
/// Bodies that are not well-formed UTF-8 JSON text, sent as raw bytes to every route that takes a body: a 422
/// naming the body (CONTRACT §1), never a 500.
/// </summary>
[Collection(ServiceCollection.Name)]
public sealed class MalformedBodyTests(FocusService service)
{
    private HttpClient Http => service.Http;

    /// <summary>What goes inside a JSON string: bytes that are no UTF-8, or escapes that are no UTF-16.</summary>
    private static readonly (string Name, byte[] Bytes)[] BadStrings =
    [
        ("truncated two-byte sequence", [0xC3, 0x28]),
        ("lone continuation byte", [0x80]),
        ("truncated three-byte sequence", [0xE2, 0x82]),
        ("five-byte sequence", [0xF8, 0x88, 0x80, 0x80, 0x80]),
        ("six-byte sequence", [0xFC, 0x84, 0x80, 0x80, 0x80, 0x80]),
        ("0xFE", [0xFE]),
        ("0xFF", [0xFF]),
        ("overlong '/' in two bytes", [0xC0, 0xAF]),
        ("overlong NUL in two bytes", [0xC0, 0x80]),
        ("overlong '/' in three bytes", [0xE0, 0x80, 0xAF]),
        ("overlong '/' in four bytes", [0xF0, 0x80, 0x80, 0xAF]),
        ("encoded high surrogate", [0xED, 0xA0, 0x80]),
        ("encoded low surrogate", [0xED, 0xBF, 0xBF]),
        ("above U+10FFFF", [0xF4, 0x90, 0x80, 0x80]),
        ("Latin-1 'é'", [0xE9]),
        ("raw NUL", [0x00]),
        ("escaped lone high surrogate", Ascii(@"\ud800")),
        ("escaped lone low surrogate", Ascii(@"\udc00")),
        ("escaped high surrogate then a letter", Ascii(@"\ud800\u0041")),
        ("escaped two high surrogates", Ascii(@"\ud800\ud800")),
        ("escaped low then high surrogate", Ascii(@"\udfff\ud800")),
        ("valid text then an escaped lone surrogate", Ascii(@"2510\udbff")),
    ];

    /// <summary>Where a bad string sits: as each field's value, nested, as a property name, alone.</summary>
    private static readonly string[] Shapes =
    [
        """{"view_type": "#"}""",
        """{"start_time": "#", "end_time": 1}""",
        """{"start_time": 1727200000, "end_time": "#"}""",
        """{"view_type": 0, "displayInfo": {"height": "#"}, "channels": {"min": 1, "max": 2}}""",
        """{"channels": {"min": 1, "max": "#"}}""",
        """{"frequencyRange": {"min": "#"}}""",
        """{"nfftSelection": "#", "displayTimeAxisDuration": "#"}""",
        """{"#": 1}""",
        """{"view_type": 0, "#": {"#": ["#"]}}""",
        """["#"]""",
        "\"#\"",
    ];

    [Fact]
    public async Task Every_body_route_answers_malformed_text_with_a_422_naming_the_body()
    {
        var routes = await BodyRoutes();
        Assert.Contains(routes, r => r.Path == "configure");
        Assert.Contains(routes, r => r.Path == "recordings_in_time_range");

        var failures = new List<string>();
        foreach (var (method, path) in routes)
        foreach (var (name, bad) in BadStrings)
        foreach (var shape in Shapes)
        {
            var body = Body(shape, bad);
            using var request = new HttpRequestMessage(method, path) { Content = new ByteArrayContent(body) };
            request.Content.Headers.ContentType = new MediaTypeHeaderValue("application/json");
            using var response = await Http.SendAsync(request);
            var text = await response.Content.ReadAsStringAsync();
            if (Problem(response, text) is { } wrong)
                failures.Add($"{method} /{path} {name} in {shape}: {wrong}");
        }
        Assert.True(failures.Count == 0, $"{failures.Count} malformed bodies were not a 422 naming the body:\n{string.Join("\n", failures.Take(40))}");
    }

    [Fact]
    public async Task An_escaped_NUL_is_well_formed_and_judged_by_its_field()
    {
        // "\u0000" is valid JSON and valid UTF-16: the body is fine, the field's rule refuses it.
        using var configure = await Http.PostJson("configure", """{"view_type": "\u0000", "displayInfo": {"height": 10}, "channels": {"min": 1, "max": 2}}""");
        Assert.Equal(HttpStatusCode.UnprocessableEntity, configure.StatusCode);
        Assert.True((await configure.Json())["errors"]!.AsObject().ContainsKey("view_type"));

        using var recordings = await Http.PostJson("recordings_in_time_range", """{"start_time": "\u0000", "end_time": 1727203600}""");
        Assert.Equal(HttpStatusCode.UnprocessableEntity, recordings.StatusCode);
        Assert.True((await recordings.Json())["errors"]!.AsObject().ContainsKey("start_time"));
    }

    /// <summary>Null when the answer is the contract's: 422, problem+json, <c>errors.body</c>, <c>detail</c> = <c>error</c> naming the body.</summary>
    private static string? Problem(HttpResponseMessage response, string text)
    {
        if (response.StatusCode != HttpStatusCode.UnprocessableEntity) return $"{(int)response.StatusCode} {text}";
        if (response.Content.Headers.ContentType?.MediaType != "application/problem+json")
            return $"content type {response.Content.Headers.ContentType}";
        var problem = JsonNode.Parse(text)!.AsObject();
        var detail = (string?)problem["detail"];
        if (detail is null || detail != (string?)problem["error"]) return $"detail and error differ: {text}";
        if (!detail.StartsWith("body", StringComparison.Ordinal)) return $"detail does not name the body: {text}";
        if (problem["errors"]?["body"] is null) return $"errors does not name the body: {text}";
        return null;
    }

    /// <summary>The routes OpenAPI describes with a method that carries a body.</summary>
    private async Task<List<(HttpMethod Method, string Path)>> BodyRoutes()
    {
        var document = await (await Http.GetAsync("openapi.json")).Json();
        var routes = new List<(HttpMethod, string)>();
        foreach (var (path, item) in document["paths"]!.AsObject())
        foreach (var (method, _) in item!.AsObject())
            if (method is "post" or "put" or "patch")
                routes.Add((new HttpMethod(method.ToUpperInvariant()),
                    System.Text.RegularExpressions.Regex.Replace(path.TrimStart('/'), @"\{[^}]*\}", "x")));
        return routes;
    }

    private static byte[] Body(string shape, byte[] bad)
    {
        var parts = shape.Split('#');
        var body = new List<byte>();
        for (var i = 0; i < parts.Length; i++)
        {
            if (i > 0) body.AddRange(bad);
            body.AddRange(Encoding.ASCII.GetBytes(parts[i]));
        }
        return body.ToArray();
    }

    private static byte[] Ascii(string text) => Encoding.ASCII.GetBytes(text);
}
