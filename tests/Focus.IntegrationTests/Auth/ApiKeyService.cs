using System.Net.Http.Headers;
using System.Security.Cryptography;
using System.Text;
using Focus.IntegrationTests.Infrastructure;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Focus.IntegrationTests.Auth;

/// <summary>
/// The service in <c>apikey</c> mode: analysts alice and bob, operator root, a stream-token key, and a
/// management port. <see cref="FocusService.Http"/> is root's.
/// </summary>
public class ApiKeyService : FocusService
{
    public const string AliceKey = "alice-0f3e9c1d-analyst-key";
    public const string BobKey = "bob-7a41b2c9-analyst-key";
    public const string RootKey = "root-c55d0e17-operator-key";
    public static readonly string StreamSecret = Convert.ToBase64String(RandomNumberGenerator.GetBytes(32));

    private readonly int _port;

    public ApiKeyService() : this(FreePorts.Any(), []) { }

    /// <summary>The same identities with more settings (e.g. another analyzer host).</summary>
    protected ApiKeyService(Dictionary<string, string?> more) : this(FreePorts.Any(), more) { }

    private ApiKeyService(int port, Dictionary<string, string?> more) : base(new Dictionary<string, string?>(more)
    {
        ["Focus:Auth:Mode"] = "apikey",
        ["Focus:Auth:ApiKeys:0:Name"] = "alice",
        ["Focus:Auth:ApiKeys:0:Sha256"] = Sha256Hex(AliceKey),
        ["Focus:Auth:ApiKeys:0:Roles:0"] = "analyst",
        ["Focus:Auth:ApiKeys:1:Name"] = "bob",
        ["Focus:Auth:ApiKeys:1:Sha256"] = Sha256Hex(BobKey),
        ["Focus:Auth:ApiKeys:1:Roles:0"] = "analyst",
        ["Focus:Auth:ApiKeys:2:Name"] = "root",
        ["Focus:Auth:ApiKeys:2:Sha256"] = Sha256Hex(RootKey),
        ["Focus:Auth:ApiKeys:2:Roles:0"] = "operator",
        ["Focus:Auth:StreamTokens:Keys:0:Id"] = "k1",
        ["Focus:Auth:StreamTokens:Keys:0:Secret"] = StreamSecret,
        ["Focus:Management:Urls"] = $"http://127.0.0.1:{port}",
        ["Logging:LogLevel:Focus.Audit"] = "Information",
        ["Logging:LogLevel:Microsoft.AspNetCore.Authentication"] = "Debug",
    })
    {
        _port = port;
    }

    public CapturedLogs Logs { get; } = new();

    public Uri ManagementAddress => new($"http://127.0.0.1:{_port}/");

    public static string Sha256Hex(string key) => Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(key)));

    /// <summary>A REST client sending <paramref name="key"/> (none when null) as <c>Authorization: ApiKey</c>.</summary>
    public HttpClient As(string? key) => Client(BaseAddress, key, inHeader: false);

    /// <summary>A client of the management port, with the key in <c>X-Api-Key</c> (kept across the dashboard's redirect).</summary>
    public HttpClient Management(string? key) => Client(ManagementAddress, key, inHeader: true);

    protected override void ConfigureBuilder(WebApplicationBuilder builder) => builder.Logging.AddProvider(Logs);

    protected override void Authorize(HttpClient http) => http.DefaultRequestHeaders.Add("X-Api-Key", RootKey);

    private static HttpClient Client(Uri address, string? key, bool inHeader)
    {
        var http = new HttpClient { BaseAddress = address, Timeout = TimeSpan.FromSeconds(60) };
        if (key is not null && inHeader) http.DefaultRequestHeaders.Add("X-Api-Key", key);
        else if (key is not null) http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("ApiKey", key);
        return http;
    }
}

/// <summary>The tests of <see cref="ApiKeyService"/> share one service.</summary>
[CollectionDefinition(Name)]
public sealed class ApiKeyCollection : ICollectionFixture<ApiKeyService>
{
    public const string Name = "apikey service";
}
