using Focus.Analyzer.Sources;
using Focus.Analyzer.Streaming;

namespace Focus.Analyzer.Pipeline;

/// <summary>One running job of an <see cref="AnalyzerHost"/>: its server, streams and pipeline.</summary>
internal sealed class AnalyzerJob(AnalyzerHost host, PipelineSpec spec, JobStreamServer server, LinePipeline pipeline, ILiveJobInput input)
    : IAnalyzerJob
{
    private readonly Lock _gate = new();
    private Task? _stopped;

    public PipelineSpec Spec => spec;

    public int Port => server.Port;

    public string? Queue => input.Queue;

    internal JobStreams Streams => server.Streams;

    internal LinePipeline Pipeline => pipeline;

    public JobProgress Progress => new(
        Streams.ReaderCount,
        pipeline.LinesEmitted,
        pipeline.Gaps,
        Streams.DroppedLines,
        pipeline.FirstLineAt,
        // A KeepaliveCommand counts as a read: it resets the idle timer like a connected client.
        input.LastKeepaliveAt is { } keepalive && keepalive > Streams.LastReadAt ? keepalive : Streams.LastReadAt,
        pipeline.Fault ?? input.Fault);

    /// <summary>The first pull opens the job's pull buffer, one more reader of its streams.</summary>
    public ValueTask<PullTake> PullAsync(int maxLines, TimeSpan idleTimeout, long maxBytes = long.MaxValue) =>
        ValueTask.FromResult(Streams.OpenPull(idleTimeout, out _).Take(maxLines, maxBytes));

    public Task StopAsync(JobEnd end)
    {
        ArgumentNullException.ThrowIfNull(end);
        lock (_gate) return _stopped ??= Task.Run(() => StopCoreAsync(end));
    }

    private async Task StopCoreAsync(JobEnd end)
    {
        try
        {
            // The server completes the streams first, so calls get their status while Kestrel drains.
            await Task.WhenAll(server.StopAsync(end), pipeline.StopAsync());
        }
        finally
        {
            await input.DisposeAsync(); // the job's queue goes on every way out
            host.Remove(this);
        }
    }
}
