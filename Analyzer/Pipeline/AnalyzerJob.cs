using Focus.Analyzer.Streaming;

namespace Focus.Analyzer.Pipeline;

/// <summary>One running job of an <see cref="AnalyzerHost"/>: its server, streams and pipeline.</summary>
internal sealed class AnalyzerJob(AnalyzerHost host, PipelineSpec spec, JobStreamServer server, LinePipeline pipeline)
    : IAnalyzerJob
{
    private readonly Lock _gate = new();
    private Task? _stopped;

    public PipelineSpec Spec => spec;

    public int Port => server.Port;

    internal JobStreams Streams => server.Streams;

    internal LinePipeline Pipeline => pipeline;

    public JobProgress Progress => new(
        Streams.ReaderCount,
        pipeline.LinesEmitted,
        pipeline.Gaps,
        Streams.DroppedLines,
        pipeline.FirstLineAt,
        Streams.LastReadAt,
        pipeline.Fault);

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
            host.Remove(this);
        }
    }
}
