using System.Diagnostics.Metrics;

namespace Focus.Grains.Jobs;

/// <summary>The job lifecycle metrics of CONTRACT §1 Operations, as recorded on this silo.</summary>
public sealed class JobInstruments
{
    public const string MeterName = "Focus";

    private readonly Counter<long> _created;
    private readonly Counter<long> _failed;
    private readonly UpDownCounter<long> _running;
    private readonly Counter<long> _ended;
    private static readonly string[] Modes = ["live", "historic"];

    public JobInstruments(IMeterFactory meterFactory)
    {
        var meter = meterFactory.Create(MeterName);
        _created = meter.CreateCounter<long>("focus_jobs_created", description: "Jobs that reached running.");
        _failed = meter.CreateCounter<long>("focus_jobs_failed", description: "Jobs that ended failed, or failed to start with an internal fault.");
        _running = meter.CreateUpDownCounter<long>("focus_jobs_running", description: "Jobs running now.");
        _ended = meter.CreateCounter<long>("focus_jobs_ended", description: "Jobs that ended, by the phase they ended in (completed, failed, cancelled, expired).");
        // Scrapers see every series from the start, not only after the first job: one per mode (live, historic), a
        // bounded label set whatever the number of jobs.
        foreach (var mode in Modes)
        {
            var tag = Mode(mode);
            _created.Add(0, tag);
            _failed.Add(0, tag);
            _running.Add(0, tag);
            foreach (var phase in (ReadOnlySpan<JobPhase>)[JobPhase.Completed, JobPhase.Failed, JobPhase.Cancelled, JobPhase.Expired])
                _ended.Add(0, tag, new KeyValuePair<string, object?>("phase", phase.ToWire()));
        }
    }

    public void Started(string mode)
    {
        _created.Add(1, Mode(mode));
        _running.Add(1, Mode(mode));
    }

    public void Ended(JobPhase phase, string mode)
    {
        _running.Add(-1, Mode(mode));
        _ended.Add(1, Mode(mode), new KeyValuePair<string, object?>("phase", phase.ToWire()));
        if (phase == JobPhase.Failed) _failed.Add(1, Mode(mode));
    }

    public void FailedToStart(string mode) => _failed.Add(1, Mode(mode));

    private static KeyValuePair<string, object?> Mode(string mode) => new("mode", mode);
}
