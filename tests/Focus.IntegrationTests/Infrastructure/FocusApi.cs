using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Focus.Analyzer.Streaming.Protos;
using Grpc.Core;
using Grpc.Net.Client;

namespace Focus.IntegrationTests.Infrastructure;

/// <summary>What a PandaApp-style client does: /configure, /metadata, DELETE, and gRPC reads.</summary>
public static class FocusApi
{
    public static readonly TimeSpan Deadline = TimeSpan.FromSeconds(20);

    public static JsonObject LiveBody(int min = 1, int max = 5, int view = 0, int height = 1000, double duration = 10,
        int nfft = 256, double? fmin = 0, double? fmax = 500)
    {
        var body = new JsonObject
        {
            ["displayTimeAxisDuration"] = duration,
            ["nfftSelection"] = nfft,
            ["displayInfo"] = new JsonObject { ["height"] = height },
            ["channels"] = new JsonObject { ["min"] = min, ["max"] = max },
            ["view_type"] = view,
        };
        if (fmin is not null || fmax is not null)
            body["frequencyRange"] = new JsonObject { ["min"] = fmin, ["max"] = fmax };
        return body;
    }

    public static JsonObject WaterfallBody(int min = 1, int max = 20, int height = 500) => new()
    {
        ["displayInfo"] = new JsonObject { ["height"] = height },
        ["channels"] = new JsonObject { ["min"] = min, ["max"] = max },
        ["view_type"] = 2,
    };

    public static Task<HttpResponseMessage> PostJson(this HttpClient http, string path, string json, string? idempotencyKey = null)
    {
        var request = new HttpRequestMessage(HttpMethod.Post, path) { Content = new StringContent(json, Encoding.UTF8, "application/json") };
        if (idempotencyKey is not null) request.Headers.Add("Idempotency-Key", idempotencyKey);
        return http.SendAsync(request);
    }

    public static async Task<JsonObject> Configure(this HttpClient http, JsonObject body)
    {
        using var response = await http.PostJson("configure", body.ToJsonString());
        var text = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == HttpStatusCode.OK, $"/configure answered {(int)response.StatusCode}: {text}");
        return JsonNode.Parse(text)!.AsObject();
    }

    public static async Task<JsonObject> Json(this HttpResponseMessage response) =>
        JsonNode.Parse(await response.Content.ReadAsStringAsync())!.AsObject();

    public static async Task<JsonObject> Metadata(this HttpClient http, string jobId)
    {
        using var response = await http.GetAsync($"metadata/{jobId}");
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        return await response.Json();
    }

    public static async Task Delete(this HttpClient http, string jobId)
    {
        using var response = await http.DeleteAsync($"job/{jobId}");
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
    }

    public static GrpcChannel Channel(JsonObject job) =>
        GrpcChannel.ForAddress($"http://{(string)job["stream_url"]!}:{(int)job["stream_port"]!}");

    public static AsyncServerStreamingCall<DataStream> Stream(GrpcChannel channel, int streamId, CancellationToken cancellationToken = default) =>
        new DataStreamService.DataStreamServiceClient(channel).StreamData(new StreamDataRequest { StreamId = streamId }, cancellationToken: cancellationToken);

    /// <summary>The next message, or a failure if none arrives before the deadline.</summary>
    public static async Task<DataStream> Next(this AsyncServerStreamingCall<DataStream> call)
    {
        Assert.True(await call.ResponseStream.MoveNext().WaitAsync(Deadline), "the stream ended");
        return call.ResponseStream.Current;
    }

    /// <summary>Reads until <paramref name="lines"/> lines have arrived.</summary>
    public static async Task<List<ByteStringLine>> ReadLines(this AsyncServerStreamingCall<DataStream> call, int lines)
    {
        var result = new List<ByteStringLine>();
        while (result.Count < lines) AddLines(result, await call.Next());
        return result;
    }

    /// <summary>Every line of the call to its end, which must be OK (a historic window played out).</summary>
    public static async Task<List<ByteStringLine>> ReadToEnd(this AsyncServerStreamingCall<DataStream> call)
    {
        var result = new List<ByteStringLine>();
        using var deadline = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        while (await call.ResponseStream.MoveNext(deadline.Token)) AddLines(result, call.ResponseStream.Current);
        Assert.Equal(StatusCode.OK, call.GetStatus().StatusCode);
        return result;
    }

    private static void AddLines(List<ByteStringLine> lines, DataStream message)
    {
        for (var i = 0; i < message.DataShapeY; i++)
            lines.Add(new ByteStringLine(message.RowIndex[i], message.TimestampInMilis[i], Decode(message.MainData[i].Span), message));
    }

    public static float[] Decode(ReadOnlySpan<byte> bytes)
    {
        var values = new float[bytes.Length / sizeof(float)];
        for (var i = 0; i < values.Length; i++)
            values[i] = BitConverter.ToSingle(bytes.Slice(i * sizeof(float), sizeof(float)));
        return values;
    }
}

public sealed record ByteStringLine(int RowIndex, long TimestampMs, float[] Values, DataStream Message);
