using System.Diagnostics.Metrics;
using Focus.Grains.Jobs;

namespace Focus.Grains.Exposure;

/// <summary><c>focus_k8s_*</c>: the job Services this silo made and deleted, and the API calls that failed.</summary>
public sealed class KubernetesInstruments
{
    private readonly Counter<long> _created;
    private readonly Counter<long> _deleted;
    private readonly Counter<long> _failed;

    public KubernetesInstruments(IMeterFactory meterFactory)
    {
        var meter = meterFactory.Create(JobInstruments.MeterName);
        _created = meter.CreateCounter<long>("focus_k8s_services_created", description: "Job Services created.");
        _deleted = meter.CreateCounter<long>("focus_k8s_services_deleted", description: "Job Services deleted, by reason (job_ended, rollback, sweep, replaced).");
        _failed = meter.CreateCounter<long>("focus_k8s_api_failures", description: "Kubernetes API call attempts that failed, by verb.");
        _created.Add(0);
    }

    public void ServiceCreated() => _created.Add(1);

    public void ServiceDeleted(string reason) => _deleted.Add(1, new KeyValuePair<string, object?>("reason", reason));

    public void CallFailed(string verb) => _failed.Add(1, new KeyValuePair<string, object?>("verb", verb));
}
