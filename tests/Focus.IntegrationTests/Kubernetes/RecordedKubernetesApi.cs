using System.Collections.Concurrent;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;

namespace Focus.IntegrationTests.Kubernetes;

/// <summary>
/// A recorded exchange with the Kubernetes API, served by a real Kestrel server on loopback: the bodies in
/// <c>Recorded/</c> (the API's own shapes, not captured from a live cluster: see Recorded/README.md), answered for
/// the paths the KubernetesClient calls. Services posted are kept, so later GET, list and DELETE answer as an API
/// server would; <see cref="Fail"/> puts recorded failures (409, 429, 500, 403, slow answers) ahead of that.
/// Every request is recorded for the assertions.
/// </summary>
public sealed class RecordedKubernetesApi : IAsyncDisposable
{
    public const string Namespace = "focus-test";
    public const string Token = "recorded-exchange-token";

    private static readonly string RecordedDir = Path.Combine(AppContext.BaseDirectory, "Kubernetes", "Recorded");
    private readonly WebApplication _app;
    private readonly List<Scripted> _script = [];
    private int _nextNodePort = 30100;
    private int _omitNodePort;

    private RecordedKubernetesApi(WebApplication app) => _app = app;

    public Uri Address { get; private set; } = null!;

    /// <summary>Pods the API knows: name → UID.</summary>
    public ConcurrentDictionary<string, string> Pods { get; } = new();

    /// <summary>Services the API holds now, by name, as it would answer them.</summary>
    public ConcurrentDictionary<string, JsonObject> Services { get; } = new();

    public ConcurrentQueue<RecordedRequest> Requests { get; } = new();

    public static async Task<RecordedKubernetesApi> StartAsync()
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        builder.Logging.ClearProviders();
        var app = builder.Build();
        var api = new RecordedKubernetesApi(app);
        app.Run(api.Handle);
        await app.StartAsync();
        api.Address = new Uri(app.Urls.First());
        return api;
    }

    /// <summary>A kubeconfig naming this server, a bearer token and the namespace, as an operator's would.</summary>
    public string WriteKubeConfig(string directory)
    {
        var path = Path.Combine(directory, $"kubeconfig-{Guid.NewGuid():N}.yaml");
        File.WriteAllText(path, $"""
            apiVersion: v1
            kind: Config
            clusters:
              - name: recorded
                cluster:
                  server: {Address.ToString().TrimEnd('/')}
            users:
              - name: focus-silo
                user:
                  token: {Token}
            contexts:
              - name: recorded
                context:
                  cluster: recorded
                  user: focus-silo
                  namespace: {Namespace}
            current-context: recorded
            """);
        return path;
    }

    /// <summary>
    /// The next <paramref name="times"/> <paramref name="method"/> calls on <paramref name="resource"/> answer
    /// <paramref name="status"/> with the recorded body <paramref name="file"/>.
    /// </summary>
    public void Fail(string method, string resource, int status, string file, int times = 1, string? retryAfter = null)
    {
        lock (_script) _script.Add(new Scripted(method, resource, status, file, times, retryAfter, null));
    }

    /// <summary>The next <paramref name="times"/> calls are carried out, but answered only after <paramref name="delay"/>.</summary>
    public void Slow(string method, string resource, TimeSpan delay, int times = 1)
    {
        lock (_script) _script.Add(new Scripted(method, resource, 0, "", times, null, delay));
    }

    /// <summary>The next <paramref name="answers"/> Service answers come without a node port (as if not yet allocated).</summary>
    public void OmitNodePort(int answers) => Interlocked.Exchange(ref _omitNodePort, answers);

    public IEnumerable<RecordedRequest> Calls(string method, string resource) =>
        Requests.Where(r => r.Method == method && r.Resource == resource);

    /// <summary>A Service as if a silo had made it for <paramref name="jobId"/> (for the sweeper).</summary>
    public void AddJobService(string jobId, string pod, DateTime created)
    {
        var name = Grains.Exposure.JobServiceManifest.NameFor(jobId);
        var body = JsonNode.Parse(k8s.KubernetesJson.Serialize(Grains.Exposure.JobServiceManifest.Build(jobId,
            new k8s.Models.V1Pod { Metadata = new() { Name = pod, NamespaceProperty = Namespace, Uid = Pods.GetValueOrDefault(pod) ?? Guid.NewGuid().ToString() } }, 50051)))!.AsObject();
        Services[name] = WithServerFields(body, created);
    }

    private async Task Handle(HttpContext context)
    {
        var request = context.Request;
        using var reader = new StreamReader(request.Body);
        var body = await reader.ReadToEndAsync();
        // /api/v1/namespaces/{namespace}/{resource}[/{name}]
        var parts = request.Path.Value!.Trim('/').Split('/');
        if (parts is not ["api", "v1", "namespaces", var ns, var resource, .. var rest] || rest.Length > 1)
        {
            Requests.Enqueue(new RecordedRequest(request.Method, request.Path, "", "", request.QueryString.Value ?? "", body, request.Headers.Authorization.ToString()));
            await Answer(context, 404, Recorded("status-not-found.json", ("kind", "paths"), ("name", request.Path.Value!)));
            return;
        }
        var name = rest.Length == 1 ? rest[0] : "";
        Requests.Enqueue(new RecordedRequest(request.Method, resource, name, ns, request.QueryString.Value ?? "", body, request.Headers.Authorization.ToString()));

        Scripted? scripted = null;
        lock (_script)
        {
            scripted = _script.FirstOrDefault(s => s.Method == request.Method && s.Resource == resource && s.Times > 0);
            if (scripted is not null) scripted.Times--;
        }
        if (scripted is { Delay: null })
        {
            if (scripted.RetryAfter is not null) context.Response.Headers.RetryAfter = scripted.RetryAfter;
            await Answer(context, scripted.Status, Recorded(scripted.File, ("name", name), ("namespace", ns)));
            return;
        }

        var (status, answer) = Carry(request.Method, resource, name, ns, body, request.Query["labelSelector"].ToString());
        if (scripted?.Delay is { } delay) await Task.Delay(delay); // done, but slow to say so
        await Answer(context, status, answer);
    }

    /// <summary>What an API server does with the call when nothing goes wrong.</summary>
    private (int Status, string Body) Carry(string method, string resource, string name, string ns, string body, string labelSelector)
    {
        switch (method, resource, name.Length > 0)
        {
            case ("GET", "pods", true):
                return Pods.TryGetValue(name, out var uid)
                    ? (200, Recorded("pod.json", ("name", name), ("namespace", ns), ("uid", uid)))
                    : (404, Recorded("status-not-found.json", ("kind", "pods"), ("name", name)));
            case ("POST", "services", false):
            {
                var service = JsonNode.Parse(body)!.AsObject();
                var serviceName = (string)service["metadata"]!["name"]!;
                var created = WithServerFields(service, DateTime.UtcNow);
                if (!Services.TryAdd(serviceName, created))
                    return (409, Recorded("status-already-exists.json", ("name", serviceName)));
                return (201, Answered(created));
            }
            case ("GET", "services", true):
                return Services.TryGetValue(name, out var found)
                    ? (200, Answered(found))
                    : (404, Recorded("status-not-found.json", ("kind", "services"), ("name", name)));
            case ("GET", "services", false):
            {
                var items = new JsonArray(Services.Values.Where(s => Matches(s, labelSelector)).Select(s => (JsonNode)s.DeepClone()).ToArray());
                return (200, new JsonObject
                {
                    ["kind"] = "ServiceList",
                    ["apiVersion"] = "v1",
                    ["metadata"] = new JsonObject { ["resourceVersion"] = "52011" },
                    ["items"] = items,
                }.ToJsonString());
            }
            case ("DELETE", "services", true):
                return Services.TryRemove(name, out var removed)
                    ? (200, removed.ToJsonString())
                    : (404, Recorded("status-not-found.json", ("kind", "services"), ("name", name)));
            default:
                return (405, Recorded("status-not-found.json", ("kind", resource), ("name", name)));
        }
    }

    private JsonObject WithServerFields(JsonObject service, DateTime created)
    {
        var server = JsonNode.Parse(Recorded("service-server-fields.json",
            ("uid", Guid.NewGuid().ToString()), ("now", created.ToString("yyyy-MM-ddTHH:mm:ssZ"))))!.AsObject();
        var metadata = service["metadata"]!.AsObject();
        metadata["namespace"] = Namespace;
        foreach (var (key, value) in server["metadata"]!.AsObject()) metadata[key] = value!.DeepClone();
        var spec = service["spec"]!.AsObject();
        foreach (var (key, value) in server["spec"]!.AsObject()) spec[key] = value!.DeepClone();
        foreach (var port in spec["ports"]!.AsArray()) port!["nodePort"] = Interlocked.Increment(ref _nextNodePort);
        service["status"] = server["status"]!.DeepClone();
        return service;
    }

    /// <summary>The Service as answered now (without its node port while <see cref="OmitNodePort"/> lasts).</summary>
    private string Answered(JsonObject service)
    {
        if (Interlocked.Decrement(ref _omitNodePort) < 0)
        {
            Interlocked.Exchange(ref _omitNodePort, 0);
            return service.ToJsonString();
        }
        var copy = service.DeepClone().AsObject();
        foreach (var port in copy["spec"]!["ports"]!.AsArray()) port!.AsObject().Remove("nodePort");
        return copy.ToJsonString();
    }

    private static bool Matches(JsonObject service, string selector)
    {
        var labels = service["metadata"]?["labels"]?.AsObject();
        foreach (var term in selector.Split(',', StringSplitOptions.RemoveEmptyEntries))
        {
            var kv = term.Split('=', 2);
            var value = labels?[kv[0]]?.GetValue<string>();
            if (value is null || (kv.Length == 2 && value != kv[1])) return false;
        }
        return true;
    }

    private static string Recorded(string file, params (string Key, string Value)[] fills)
    {
        var text = File.ReadAllText(Path.Combine(RecordedDir, file));
        foreach (var (key, value) in fills) text = text.Replace("{" + key + "}", value);
        return text.Replace("{namespace}", Namespace);
    }

    private static async Task Answer(HttpContext context, int status, string body)
    {
        context.Response.StatusCode = status;
        context.Response.ContentType = "application/json";
        await context.Response.WriteAsync(body);
    }

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
    }

    private sealed class Scripted(string method, string resource, int status, string file, int times, string? retryAfter, TimeSpan? delay)
    {
        public string Method { get; } = method;
        public string Resource { get; } = resource;
        public int Status { get; } = status;
        public string File { get; } = file;
        public int Times { get; set; } = times;
        public string? RetryAfter { get; } = retryAfter;
        public TimeSpan? Delay { get; } = delay;
    }
}

/// <summary>One call as the API server saw it.</summary>
public sealed record RecordedRequest(string Method, string Resource, string Name, string Namespace, string Query, string Body, string Authorization);
