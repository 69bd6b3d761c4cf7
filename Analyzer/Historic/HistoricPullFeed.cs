using Focus.Analyzer.Streaming;

namespace Focus.Analyzer.Historic;

/// <summary>
/// Feeds a historic job's <see cref="PullBuffer"/> from one playback of its window: a call on every stream, joined to
/// one run, each call's messages into the buffer (which waits for room, so the playback goes as fast as the client
/// pulls and drops nothing). At the window's end the buffer completes; when it closes, the calls leave.
/// </summary>
internal static class HistoricPullFeed
{
    public static void Start(HistoricPlayback playback, PullBuffer buffer, int streams)
    {
        var calls = new HistoricCall[streams];
        for (var stream = 0; stream < streams; stream++) calls[stream] = playback.Attach(stream);
        _ = Task.Run(() => RunAsync(calls, buffer));
    }

    private static async Task RunAsync(HistoricCall[] calls, PullBuffer buffer)
    {
        try
        {
            await Task.WhenAll(calls.Select(call => PumpAsync(call, buffer)));
            buffer.Complete();
        }
        catch (OperationCanceledException) when (buffer.Closing.IsCancellationRequested)
        {
            // closed (idle, or the job ended): the calls leave below
        }
        catch (Exception)
        {
            // The playback failed or the job stopped: the job reports the reason; pulls see the end.
            buffer.Complete();
        }
        finally
        {
            foreach (var call in calls) call.Dispose();
        }
    }

    private static async Task PumpAsync(HistoricCall call, PullBuffer buffer)
    {
        await foreach (var message in call.Messages.ReadAllAsync(buffer.Closing))
            await buffer.AddAsync(call.StreamId, message, buffer.Closing);
    }
}
