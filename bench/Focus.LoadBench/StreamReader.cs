using System.Diagnostics;
using Focus.Analyzer.Streaming.Protos;
using Grpc.Core;

namespace Focus.LoadBench;

/// <summary>
/// One client reading stream 0 of a job for the whole read step. Counts lines and row_index jumps inside the
/// measurement window and the lag of the newest line behind the wall clock.
/// </summary>
internal sealed class LineReader(Job job, FocusClient client)
{
    private long _windowStart = long.MaxValue; // Stopwatch timestamps
    private long _windowEnd = long.MaxValue;
    private long _lines;
    private long _jumps;
    private long _missing;
    private long _maxLagMs;
    private long _lastTimestampMs;
    private long _messages;

    private static readonly bool Trace = Environment.GetEnvironmentVariable("FOCUS_LOADBENCH_TRACE") == "1";

    public Job Job => job;

    public long LinesInWindow => Interlocked.Read(ref _lines);

    public long JumpsInWindow => Interlocked.Read(ref _jumps);

    /// <summary>Rows skipped by the jumps in the window.</summary>
    public long MissingInWindow => Interlocked.Read(ref _missing);

    /// <summary>Largest (wall clock − line timestamp) seen in the window; includes the frame length (nfft/prr).</summary>
    public long MaxLagMs => Interlocked.Read(ref _maxLagMs);

    public long LastTimestampMs => Interlocked.Read(ref _lastTimestampMs);

    public long Messages => Interlocked.Read(ref _messages);

    public string? Error { get; private set; }

    public void OpenWindow(long at) => Volatile.Write(ref _windowStart, at);

    public void CloseWindow(long at) => Volatile.Write(ref _windowEnd, at);

    public async Task RunAsync(CancellationToken ct)
    {
        long previous = -1;
        try
        {
            using var call = client.Stream(job).StreamData(new StreamDataRequest { StreamId = 0 }, cancellationToken: ct);
            while (await call.ResponseStream.MoveNext(ct))
            {
                var message = call.ResponseStream.Current;
                var now = Stopwatch.GetTimestamp();
                var inWindow = now >= Volatile.Read(ref _windowStart) && now < Volatile.Read(ref _windowEnd);
                Interlocked.Increment(ref _messages);
                foreach (var row in message.RowIndex)
                {
                    if (previous >= 0 && row != previous + 1 && inWindow)
                    {
                        Interlocked.Increment(ref _jumps);
                        Interlocked.Add(ref _missing, row - previous - 1);
                        if (Trace && _jumps <= 3)
                            Console.Error.WriteLine($"  jump job {job.Id} port {job.Port}: row {previous} -> {row} (message of {message.RowIndex.Count} rows: {message.RowIndex[0]}..{message.RowIndex[^1]})");
                    }
                    previous = row;
                    if (inWindow) Interlocked.Increment(ref _lines);
                }
                if (message.TimestampInMilis.Count > 0)
                {
                    var last = message.TimestampInMilis[^1];
                    Interlocked.Exchange(ref _lastTimestampMs, last);
                    if (inWindow)
                    {
                        var lag = DateTimeOffset.UtcNow.ToUnixTimeMilliseconds() - last;
                        if (lag > Interlocked.Read(ref _maxLagMs)) Interlocked.Exchange(ref _maxLagMs, lag);
                    }
                }
            }
            if (!ct.IsCancellationRequested) Error = "stream ended";
        }
        catch (RpcException ex) when (ct.IsCancellationRequested && ex.StatusCode == StatusCode.Cancelled)
        {
        }
        catch (OperationCanceledException) when (ct.IsCancellationRequested)
        {
        }
        catch (RpcException ex)
        {
            Error = $"{ex.StatusCode}: {ex.Status.Detail}";
        }
    }
}
