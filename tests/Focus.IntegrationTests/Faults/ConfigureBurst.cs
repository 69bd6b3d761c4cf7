using System.Collections.Concurrent;
using System.Net;
using System.Text.Json.Nodes;
using Focus.IntegrationTests.Infrastructure;

namespace Focus.IntegrationTests.Faults;

/// <summary>
/// Clients that create and end jobs without pause while a fault is injected: each lane posts <c>/configure</c> through
/// one of the given gateways, keeps at most a few of its jobs and deletes the oldest beyond that. Every answer is
/// recorded (status, or the exception when none came) with the phase of the fault it fell in.
/// </summary>
internal sealed class ConfigureBurst : IAsyncDisposable
{
    private const int JobsKeptPerLane = 3;
    private readonly CancellationTokenSource _stop = new();
    private readonly Task[] _lanes;
    private int _sequence;

    public ConfigureBurst(IReadOnlyList<HttpClient> gateways, int lanes)
    {
        _lanes = [.. Enumerable.Range(0, lanes).Select(lane => Task.Run(() => RunLane(gateways, lane)))];
    }

    /// <summary>Set by the test as the fault goes on: every answer is filed under the phase it arrived in.</summary>
    public string Phase { get; set; } = "before";

    /// <summary>Jobs answered 200, with the phase of the answer.</summary>
    public ConcurrentDictionary<string, string> Created { get; } = new();

    /// <summary>Jobs this burst deleted, with the status of the DELETE.</summary>
    public ConcurrentDictionary<string, string> Deleted { get; } = new();

    public ConcurrentQueue<(string Phase, string Call, string Answer)> Answers { get; } = new();

    public int AnswersIn(string phase) => Answers.Count(a => a.Phase == phase);

    public bool AnyCreatedIn(string phase) => Created.Values.Contains(phase);

    /// <summary>Answer counts by phase, call and status, for the report.</summary>
    public string Summary() => string.Join('\n', Answers
        .GroupBy(a => (a.Phase, a.Call, a.Answer))
        .OrderBy(g => g.Key.Phase).ThenBy(g => g.Key.Call).ThenBy(g => g.Key.Answer)
        .Select(g => $"  {g.Key.Phase,-10} {g.Key.Call,-9} {g.Key.Answer}: {g.Count()}"));

    /// <summary>Waits until <paramref name="count"/> answers arrived in the current phase.</summary>
    public Task WaitForAnswersAsync(int count, TimeSpan deadline) =>
        FaultCluster.Eventually(() => Task.FromResult(AnswersIn(Phase) >= count), deadline,
            () => $"{AnswersIn(Phase)} answers in phase {Phase}, wanted {count}\n{Summary()}");

    public async Task StopAsync()
    {
        await _stop.CancelAsync();
        await Task.WhenAll(_lanes);
    }

    public async ValueTask DisposeAsync()
    {
        if (!_stop.IsCancellationRequested) await StopAsync();
        _stop.Dispose();
    }

    private async Task RunLane(IReadOnlyList<HttpClient> gateways, int lane)
    {
        var mine = new Queue<string>();
        for (var i = 0; !_stop.IsCancellationRequested; i++)
        {
            var http = gateways[(lane + i) % gateways.Count];
            var n = Interlocked.Increment(ref _sequence);
            var (answer, jobId) = await Call(async () =>
            {
                using var response = await http.PostJson("configure", Body(n).ToJsonString());
                return (response.StatusCode, response.StatusCode == HttpStatusCode.OK ? (string?)(await response.Json())["job_id"] : null);
            });
            var phase = Phase;
            Answers.Enqueue((phase, "configure", answer));
            if (jobId is not null)
            {
                Created[jobId] = phase;
                mine.Enqueue(jobId);
            }

            while (mine.Count > JobsKeptPerLane && !_stop.IsCancellationRequested)
            {
                var oldest = mine.Dequeue();
                var (deleted, _) = await Call(async () =>
                {
                    using var response = await http.DeleteAsync($"job/{oldest}");
                    return (response.StatusCode, (string?)null);
                });
                Answers.Enqueue((Phase, "delete", deleted));
                Deleted[oldest] = deleted;
            }
        }
    }

    private static async Task<(string Answer, string? JobId)> Call(Func<Task<(HttpStatusCode Status, string? JobId)>> call)
    {
        try
        {
            var (status, jobId) = await call();
            return (((int)status).ToString(System.Globalization.CultureInfo.InvariantCulture), jobId);
        }
        catch (TaskCanceledException)
        {
            return ("timeout", null); // the gateway's HttpClient waited its whole timeout: a hang
        }
        catch (HttpRequestException ex)
        {
            return ($"refused ({ex.HttpRequestError})", null); // the silo behind this gateway is down
        }
    }

    /// <summary>10 lines/s (30 s over 300 lines), 5 channels: cheap enough for many at once on a small machine.</summary>
    private static JsonObject Body(int n)
    {
        var min = 1 + n * 10 % 2200;
        return FocusApi.LiveBody(min: min, max: min + 4, height: 300, duration: 30, nfft: 256);
    }
}
