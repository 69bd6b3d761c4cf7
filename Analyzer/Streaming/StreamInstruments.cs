using System.Collections.Concurrent;
using System.Diagnostics.Metrics;

namespace Focus.Analyzer.Streaming;

/// <summary>The data plane's metrics (meter <c>Focus</c>); names as CONTRACT §1 Operations scrapes them.</summary>
public sealed class StreamInstruments
{
    public const string MeterName = "Focus";

    private static readonly double[] SecondsBuckets = [0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60];
    private static readonly double[] StartBuckets = [0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 5];

    private readonly ConcurrentDictionary<JobStreams, byte> _jobs = new();

    public StreamInstruments(IMeterFactory meterFactory)
    {
        var meter = meterFactory.Create(MeterName);
        LinesEmitted = meter.CreateCounter<long>("focus_lines_emitted", description: "Lines published to data streams.");
        Gaps = meter.CreateCounter<long>("focus_gaps", description: "Holes in a job's input: non-contiguous live blocks, and stretches a historic playback jumps over.");
        TimeToFirstFrame = meter.CreateHistogram("focus_time_to_first_frame_seconds", unit: null,
            description: "Seconds from a job's start to its first published line.", tags: null,
            advice: new InstrumentAdvice<double> { HistogramBucketBoundaries = SecondsBuckets });
        JobStart = meter.CreateHistogram("focus_job_start_seconds", unit: null,
            description: "Seconds a live job's data plane took to start, by phase: kernel (spectral kernel and fan-out), input (attach to the live source), server (bind the stream port), pipeline.",
            tags: null, advice: new InstrumentAdvice<double> { HistogramBucketBoundaries = StartBuckets });
        PulledLines = meter.CreateCounter<long>("focus_pull_lines", description: "Lines handed out by GET /waterfall pulls.");
        PullDroppedLines = meter.CreateCounter<long>("focus_pull_dropped_lines",
            description: "Lines dropped from pull buffers because nobody pulled them before the buffer was full.");
        meter.CreateObservableGauge("focus_queue_depth", ObserveQueueDepth,
            description: "Messages waiting in stream readers' buffers.");
        // Scrapers see the counters from the start, not only after the first line or gap.
        LinesEmitted.Add(0);
        Gaps.Add(0);
        PulledLines.Add(0);
        PullDroppedLines.Add(0);
    }

    /// <summary>Lines GET /waterfall handed out (<c>focus_pull_lines_total</c>).</summary>
    public Counter<long> PulledLines { get; }

    /// <summary>Lines pull buffers dropped when full (<c>focus_pull_dropped_lines_total</c>).</summary>
    public Counter<long> PullDroppedLines { get; }

    public Counter<long> LinesEmitted { get; }

    public Counter<long> Gaps { get; }

    public Histogram<double> TimeToFirstFrame { get; }

    /// <summary>Seconds each phase of a live job's start took (tag <c>phase</c>: kernel, input, server, pipeline).</summary>
    public Histogram<double> JobStart { get; }

    /// <summary>Records the phase that began at <paramref name="startedAt"/> (a <see cref="TimeProvider"/> timestamp); returns now.</summary>
    public long JobStartPhase(string phase, long startedAt, TimeProvider clock)
    {
        var now = clock.GetTimestamp();
        var elapsed = clock.GetElapsedTime(startedAt, now);
        JobStart.Record(elapsed.TotalSeconds, new KeyValuePair<string, object?>("phase", phase));
        Focus.Telemetry.FocusTracing.Completed($"focus.analyzer.{phase}", elapsed); // the same phase as a span of the job's trace
        return now;
    }

    public void Track(JobStreams streams) => _jobs.TryAdd(streams, 0);

    public void Untrack(JobStreams streams) => _jobs.TryRemove(streams, out _);

    private long ObserveQueueDepth()
    {
        long depth = 0;
        foreach (var streams in _jobs.Keys) depth += streams.QueueDepth;
        return depth;
    }
}
