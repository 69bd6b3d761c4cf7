using System.Collections.Concurrent;
using Focus.Analyzer.Pipeline;
using Focus.Analyzer.Spectral;
using Focus.Analyzer.Streaming;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Focus.Analyzer.Historic;

/// <summary>
/// Runs historic jobs' data planes in this process (the <see cref="AnalyzerHost"/> hands them over): per job a
/// <see cref="JobStreamServer"/> serving <see cref="HistoricDataStreamService"/> over a <see cref="HistoricPlayback"/>.
/// No work is done until a call arrives; each call plays the window from its start (calls that arrive together share
/// one playback), computing under the silo's <see cref="ComputeGate"/> as live jobs do, on as many of its slots as are free.
/// </summary>
public sealed partial class HistoricAnalyzerHost(
    ISpectrogramEngine engine,
    JobStreamServerFactory<HistoricDataStreamService> servers,
    IOptions<HistoricOptions> historic,
    StreamInstruments instruments,
    ComputeGate computeGate,
    TimeProvider clock,
    ILoggerFactory loggerFactory) : IAsyncDisposable
{
    private readonly ConcurrentDictionary<HistoricAnalyzerJob, byte> _jobs = new();
    private readonly ILogger _logger = loggerFactory.CreateLogger<HistoricAnalyzerHost>();

    public int RunningJobs => _jobs.Count;

    public Task<IAnalyzerJob> StartAsync(PipelineSpec spec, int port, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(spec.Historic);
        return Task.Run(() => StartCoreAsync(spec, port, cancellationToken), cancellationToken);
    }

    private async Task<IAnalyzerJob> StartCoreAsync(PipelineSpec spec, int port, CancellationToken cancellationToken)
    {
        var streams = new JobStreams(spec.JobId, spec.StreamAmount, 1, clock);
        var playback = new HistoricPlayback(spec, engine, instruments, computeGate, clock, historic.Value, loggerFactory.CreateLogger<HistoricPlayback>());
        JobStreamServer server;
        try
        {
            server = await servers.StartAsync(streams, port, features => features.Set(playback), cancellationToken);
        }
        catch
        {
            await playback.DisposeAsync();
            throw;
        }
        var job = new HistoricAnalyzerJob(this, spec, server, playback);
        _jobs.TryAdd(job, 0);
        using (_logger.BeginScope(new JobLogScope(spec.JobId)))
            LogStarted(port, spec.Historic!.Files.Count, spec.Historic.EndSample - spec.Historic.FirstSample);
        return job;
    }

    internal void Remove(HistoricAnalyzerJob job) => _jobs.TryRemove(job, out _);

    /// <summary>The playback of a running job of this host (tests count its runs), or null.</summary>
    internal HistoricPlayback? FindPlayback(string jobId) => _jobs.Keys.FirstOrDefault(j => j.Spec.JobId == jobId)?.Playback;

    public async ValueTask DisposeAsync()
    {
        var end = new JobEnd(JobEndKind.Cancelled, "analyzer host shutting down");
        await Task.WhenAll(_jobs.Keys.Select(job => job.StopAsync(end)));
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Historic job serving on port {Port}: {Files} recordings, {Samples} samples of window")]
    private partial void LogStarted(int port, int files, long samples);
}

/// <summary>One historic job of a <see cref="HistoricAnalyzerHost"/>.</summary>
internal sealed class HistoricAnalyzerJob(HistoricAnalyzerHost host, PipelineSpec spec, JobStreamServer server, HistoricPlayback playback)
    : IAnalyzerJob
{
    private readonly Lock _gate = new();
    private Task? _stopped;

    public PipelineSpec Spec => spec;

    public HistoricPlayback Playback => playback;

    public int Port => server.Port;

    /// <summary>Historic jobs read storage, not a broker queue.</summary>
    public string? Queue => null;

    public JobProgress Progress => new(
        server.Streams.ReaderCount,
        playback.LinesEmitted,
        playback.Gaps,
        0,
        playback.FirstLineAt,
        server.Streams.LastReadAt,
        playback.Fault,
        playback.Completed);

    /// <summary>The first pull plays the window from its start into the job's pull buffer.</summary>
    public ValueTask<PullTake> PullAsync(int maxLines, TimeSpan idleTimeout, long maxBytes = long.MaxValue)
    {
        var buffer = server.Streams.OpenPull(idleTimeout, out var opened);
        if (opened) HistoricPullFeed.Start(playback, buffer, spec.StreamAmount);
        return ValueTask.FromResult(buffer.Take(maxLines, maxBytes));
    }

    public Task StopAsync(JobEnd end)
    {
        ArgumentNullException.ThrowIfNull(end);
        lock (_gate) return _stopped ??= Task.Run(() => StopCoreAsync(end));
    }

    private async Task StopCoreAsync(JobEnd end)
    {
        try
        {
            await Task.WhenAll(server.StopAsync(end), playback.DisposeAsync().AsTask());
        }
        finally
        {
            host.Remove(this);
        }
    }
}
