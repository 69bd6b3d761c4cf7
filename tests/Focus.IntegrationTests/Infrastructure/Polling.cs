namespace Focus.IntegrationTests.Infrastructure;

/// <summary>
/// The one wait of the integration tests for what another thread, grain or process does in its own time: checks a
/// condition every <c>every</c> (200 ms unless told) until it holds, or fails naming what was awaited once
/// <c>within</c> (20 s unless told) has passed. <c>eachRound</c> runs between checks (a test on a fake clock moves it
/// there, so timers that run on it fire).
/// </summary>
public static class Polling
{
    public static readonly TimeSpan DefaultWithin = TimeSpan.FromSeconds(20);
    public static readonly TimeSpan DefaultEvery = TimeSpan.FromMilliseconds(200);

    public static Task Eventually(Func<bool> condition, string what, TimeSpan? within = null, TimeSpan? every = null, Action? eachRound = null) =>
        Eventually(() => Task.FromResult(condition()), () => what, within, every, eachRound);

    public static Task Eventually(Func<Task<bool>> condition, string what, TimeSpan? within = null, TimeSpan? every = null, Action? eachRound = null) =>
        Eventually(condition, () => what, within, every, eachRound);

    /// <summary>As above; <paramref name="what"/> is asked only on failure (it may say what was last seen).</summary>
    public static async Task Eventually(Func<Task<bool>> condition, Func<string> what, TimeSpan? within = null, TimeSpan? every = null, Action? eachRound = null)
    {
        var limit = within ?? DefaultWithin;
        var deadline = DateTime.UtcNow + limit;
        while (!await condition())
        {
            if (DateTime.UtcNow > deadline) Assert.Fail($"not so within {limit}: {what()}");
            eachRound?.Invoke();
            await Task.Delay(every ?? DefaultEvery);
        }
    }
}
