using Focus.Grains.Exposure;
using k8s;
using k8s.Models;

namespace Focus.UnitTests.Exposure;

public sealed class JobServiceManifestTests
{
    private static readonly V1Pod Pod = new()
    {
        Metadata = new V1ObjectMeta { Name = "focus-silo-2", NamespaceProperty = "focus", Uid = "1a2b3c4d-0000-4000-8000-000000000002" },
    };

    [Fact]
    public void The_Service_survives_a_strict_YAML_round_trip_through_KubernetesClients_models()
    {
        var service = JobServiceManifest.Build("17-4821", Pod, 50071);

        var yaml = KubernetesYaml.Serialize(service);
        var back = Assert.IsType<V1Service>(Assert.Single(KubernetesYaml.LoadAllFromString(yaml, strict: true)));

        Assert.Equal(KubernetesJson.Serialize(service), KubernetesJson.Serialize(back));
        Assert.Contains("type: NodePort", yaml);
        Assert.Contains("focus/job-id: 17-4821", yaml);
        Assert.Contains("statefulset.kubernetes.io/pod-name: focus-silo-2", yaml);
        Assert.Equal("focus", back.Namespace());
        Assert.Null(back.Metadata.OwnerReferences[0].BlockOwnerDeletion); // would need rights on the pod's finalizers
    }

    [Fact]
    public void Adopting_requires_the_same_job_pod_UID_and_port()
    {
        var wanted = JobServiceManifest.Build("17-4821", Pod, 50071);
        Assert.True(JobServiceManifest.IsSameExposure(JobServiceManifest.Build("17-4821", Pod, 50071), wanted));
        Assert.False(JobServiceManifest.IsSameExposure(JobServiceManifest.Build("17-4821", Pod, 50072), wanted));
        var otherPod = new V1Pod { Metadata = new V1ObjectMeta { Name = "focus-silo-2", NamespaceProperty = "focus", Uid = "another-uid" } };
        Assert.False(JobServiceManifest.IsSameExposure(JobServiceManifest.Build("17-4821", otherPod, 50071), wanted)); // the pod was recreated
        var deleting = JobServiceManifest.Build("17-4821", Pod, 50071);
        deleting.Metadata.DeletionTimestamp = DateTime.UtcNow;
        Assert.False(JobServiceManifest.IsSameExposure(deleting, wanted));
    }

    [Theory]
    [InlineData("17-4821", "focus-job-17-4821")]
    [InlineData("1-0000", "focus-job-1-0000")]
    public void Job_ids_name_Services(string jobId, string name) => Assert.Equal(name, JobServiceManifest.NameFor(jobId));

    [Theory]
    [InlineData("Job_1")]
    [InlineData("1-")]
    [InlineData("12345678901234567890123456789012345678901234567890123456")]
    public void An_id_that_cannot_name_a_Service_is_refused(string jobId) =>
        Assert.Throws<ArgumentException>(() => JobServiceManifest.NameFor(jobId));
}
