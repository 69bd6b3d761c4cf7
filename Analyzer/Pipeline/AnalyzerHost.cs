using System.Collections.Concurrent;
using Focus.Analyzer.Historic;
using Focus.Analyzer.Sources;
using Focus.Analyzer.Spectral;
using Focus.Analyzer.Streaming;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Focus.Analyzer.Pipeline;

/// <summary>
/// Runs live jobs' data planes in this process (one per silo): per job a <see cref="JobStreamServer"/>
/// on the job's port and a <see cref="LinePipeline"/> fed by the live source, with kernels from the engine.
/// Historic jobs (<see cref="PipelineSpec.Historic"/>) go to the <see cref="HistoricAnalyzerHost"/>.
/// </summary>
public sealed partial class AnalyzerHost(
    ISpectrogramEngine engine,
    ILiveSource liveSource,
    ComputeGate computeGate,
    IOptions<StreamsOptions> options,
    JobStreamServerFactory<JobDataStreamService> servers,
    StreamInstruments instruments,
    TimeProvider clock,
    ILoggerFactory loggerFactory,
    HistoricAnalyzerHost historic) : IAnalyzerHost, IAsyncDisposable
{
    private readonly ConcurrentDictionary<AnalyzerJob, byte> _jobs = new();
    private readonly ILogger _logger = loggerFactory.CreateLogger<AnalyzerHost>();

    public int RunningJobs => _jobs.Count + historic.RunningJobs;

    public Task<IAnalyzerJob> StartAsync(PipelineSpec spec, int port, CancellationToken cancellationToken)
    {
        Validate(spec, port);
        if (spec.Historic is not null) return historic.StartAsync(spec, port, cancellationToken);
        // Off the caller's scheduler (a grain turn): Kestrel's loops and the pipeline must start on the thread pool.
        return Task.Run(() => StartCoreAsync(spec, port, cancellationToken), cancellationToken);
    }

    private async Task<IAnalyzerJob> StartCoreAsync(PipelineSpec spec, int port, CancellationToken cancellationToken)
    {
        var startedAt = clock.GetTimestamp();
        var settings = options.Value;
        var kernel = LineKernel.Create(engine, spec);
        var streams = new JobStreams(spec.JobId, spec.StreamAmount, settings.ReaderBufferMessages, clock);
        var phase = instruments.JobStartPhase("kernel", startedAt, clock);
        // The job's input first (a live queue is declared here): a broker that is down refuses the job before a port is bound.
        var input = await liveSource.AttachAsync(spec.JobId, spec.ChannelMin, spec.ChannelMax, cancellationToken);
        phase = instruments.JobStartPhase("input", phase, clock);
        JobStreamServer server;
        try
        {
            server = await servers.StartAsync(streams, port, features: null, cancellationToken);
            phase = instruments.JobStartPhase("server", phase, clock);
        }
        catch
        {
            await input.DisposeAsync();
            throw;
        }
        AnalyzerJob job;
        try
        {
            var pipeline = new LinePipeline(spec, streams, input, kernel, computeGate, clock, instruments,
                loggerFactory.CreateLogger<LinePipeline>(), startedAt);
            job = new AnalyzerJob(this, spec, server, pipeline, input);
            _jobs.TryAdd(job, 0);
            instruments.Track(streams);
            pipeline.Start();
            instruments.JobStartPhase("pipeline", phase, clock);
        }
        catch (Exception ex)
        {
            await server.StopAsync(new JobEnd(JobEndKind.Failed, $"analyzer failed to start: {ex.Message}"));
            await input.DisposeAsync();
            throw;
        }
        using (_logger.BeginScope(new JobLogScope(spec.JobId)))
            LogStarted(port, spec.IsWaterfall ? "waterfall" : "spectrogram", spec.ChannelMin, spec.ChannelMax, engine.Name);
        return job;
    }

    internal void Remove(AnalyzerJob job)
    {
        _jobs.TryRemove(job, out _);
        instruments.Untrack(job.Streams);
    }

    /// <summary>Stops every job still running (the process is shutting down).</summary>
    public async ValueTask DisposeAsync()
    {
        var end = new JobEnd(JobEndKind.Cancelled, "analyzer host shutting down");
        await Task.WhenAll(_jobs.Keys.Select(job => job.StopAsync(end)));
    }

    private static void Validate(PipelineSpec spec, int port)
    {
        ArgumentNullException.ThrowIfNull(spec);
        ArgumentOutOfRangeException.ThrowIfLessThan(port, 1);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(port, 65535);
        var problems = new List<string>();
        if (spec.ChannelMin < 1 || spec.ChannelMax < spec.ChannelMin) problems.Add($"channels {spec.ChannelMin}..{spec.ChannelMax}");
        if (!(spec.Prr > 0) || double.IsInfinity(spec.Prr)) problems.Add($"prr {spec.Prr}");
        if (spec.Hop < 1) problems.Add($"hop {spec.Hop}");
        if (spec.StartSampleIndex < 0) problems.Add($"start sample {spec.StartSampleIndex}");
        if (spec.IsWaterfall)
        {
            if (spec.Nfft != spec.Hop) problems.Add($"waterfall nfft {spec.Nfft} != hop {spec.Hop}");
            if (spec.StreamAmount != 1) problems.Add($"waterfall stream amount {spec.StreamAmount} != 1");
        }
        else
        {
            if (spec.Nfft < 2) problems.Add($"nfft {spec.Nfft}");
            if (spec.BinCount < 1 || spec.FirstBin < 0 || spec.FirstBin + spec.BinCount > spec.Nfft / 2 + 1)
                problems.Add($"bins {spec.FirstBin}+{spec.BinCount} of nfft {spec.Nfft}");
            if (spec.StreamAmount != spec.ChannelAmount)
                problems.Add($"stream amount {spec.StreamAmount} != channel amount {spec.ChannelAmount}");
        }
        if (problems.Count > 0)
            throw new ArgumentException($"pipeline spec of job {spec.JobId} is inconsistent: {string.Join(", ", problems)}", nameof(spec));
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Job started on port {Port}: {View} of channels {ChannelMin}..{ChannelMax} ({Engine})")]
    private partial void LogStarted(int port, string view, int channelMin, int channelMax, string engine);
}
