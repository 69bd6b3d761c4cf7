using System.Diagnostics.Metrics;

namespace Focus.Grains.Jobs;

/// <summary>The job lifecycle metrics of CONTRACT §1 Operations, as recorded on this silo.</summary>
public sealed class JobInstruments
{
    public const string MeterName = "Focus";

    private readonly Counter<long> _created;
    private readonly Counter<long> _failed;
    private readonly UpDownCounter<long> _running;

    public JobInstruments(IMeterFactory meterFactory)
    {
        var meter = meterFactory.Create(MeterName);
        _created = meter.CreateCounter<long>("focus_jobs_created", description: "Jobs that reached running.");
        _failed = meter.CreateCounter<long>("focus_jobs_failed", description: "Jobs that ended failed, or failed to start with an internal fault.");
        _running = meter.CreateUpDownCounter<long>("focus_jobs_running", description: "Jobs running now.");
        // Scrapers see every series from the start, not only after the first job.
        _created.Add(0);
        _failed.Add(0);
        _running.Add(0);
    }

    public void Started()
    {
        _created.Add(1);
        _running.Add(1);
    }

    public void Ended(JobPhase phase)
    {
        _running.Add(-1);
        if (phase == JobPhase.Failed) _failed.Add(1);
    }

    public void FailedToStart() => _failed.Add(1);
}
