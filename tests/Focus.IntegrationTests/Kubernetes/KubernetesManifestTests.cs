using k8s;
using k8s.Models;

namespace Focus.IntegrationTests.Kubernetes;

/// <summary>
/// k8s/ renders with the kubectl on PATH (Debian 12's kubernetes-client 1.20 with kustomize v2.0.3 in CI), every
/// rendered object deserialises strictly into KubernetesClient's typed models, and the objects fit together:
/// names, namespaces, Secret and ConfigMap references, probes, RBAC, replicas and autoscaling per overlay.
/// </summary>
public sealed class KubernetesManifestTests
{
    public static TheoryData<string> Targets => ["base", "overlays/dev", "overlays/prod"];

    [Theory]
    [MemberData(nameof(Targets))]
    public async Task Every_rendered_object_is_a_known_Kubernetes_type_in_the_focus_namespace(string target)
    {
        var objects = await Manifests.LoadAsync(target);

        Assert.NotEmpty(objects);
        foreach (var o in objects)
        {
            var typed = Assert.IsAssignableFrom<IKubernetesObject<V1ObjectMeta>>(o);
            Assert.Equal("focus", typed.Metadata.Labels?["app.kubernetes.io/part-of"]);
            if (o is V1Namespace) Assert.Equal("focus", typed.Metadata.Name);
            else Assert.True(typed.Metadata.NamespaceProperty == "focus", $"{typed.Kind} {typed.Metadata.Name} is in namespace '{typed.Metadata.NamespaceProperty}'");
        }
        // One of each name per kind.
        Assert.Equal(objects.Count, objects.Cast<IKubernetesObject<V1ObjectMeta>>().Select(o => (o.Kind, o.Metadata.Name)).Distinct().Count());
    }

    [Theory]
    [MemberData(nameof(Targets))]
    public async Task The_silo_runs_as_its_pod_with_probes_drain_time_and_the_Role(string target)
    {
        var objects = await Manifests.LoadAsync(target);
        var silo = Single<V1StatefulSet>(objects, "focus-silo");
        var pod = silo.Spec.Template.Spec;
        var container = Assert.Single(pod.Containers);

        Assert.Equal("/health/live", container.LivenessProbe.HttpGet.Path);
        Assert.Equal("/health/ready", container.ReadinessProbe.HttpGet.Path);
        Assert.InRange(pod.TerminationGracePeriodSeconds ?? 30, 60, 600);
        Assert.True(pod.SecurityContext.RunAsNonRoot);
        Assert.NotNull(container.Resources.Requests["cpu"]);
        Assert.NotNull(pod.Affinity.PodAntiAffinity);
        Assert.Equal("metadata.name", container.Env.Single(e => e.Name == "POD_NAME").ValueFrom.FieldRef.FieldPath);
        Assert.Equal("$(POD_NAME)", container.Env.Single(e => e.Name == "Focus__Cluster__SiloName").Value);
        Assert.Equal(silo.Spec.Selector.MatchLabels, silo.Spec.Template.Metadata.Labels.Where(l => silo.Spec.Selector.MatchLabels.ContainsKey(l.Key)).ToDictionary());

        // The pod's service account is the one the Role is bound to.
        var binding = Single<V1RoleBinding>(objects, "focus-silo");
        Assert.Equal(pod.ServiceAccountName, Assert.Single(binding.Subjects).Name);
        Assert.Equal("focus", binding.Subjects[0].NamespaceProperty);
        Assert.Equal(Single<V1Role>(objects, binding.RoleRef.Name).Metadata.Name, binding.RoleRef.Name);
        Single<V1ServiceAccount>(objects, pod.ServiceAccountName);
        Single<V1PodDisruptionBudget>(objects, "focus-silo");

        // The configuration the pods read exists under its generated name and turns on kubernetes exposure.
        var configName = Assert.Single(container.EnvFrom).ConfigMapRef.Name;
        var config = Single<V1ConfigMap>(objects, configName);
        Assert.Equal("kubernetes", config.Data["Focus__Streams__Exposure"]);
        Assert.Equal("adonet", config.Data["Focus__Cluster__Kind"]);
        Assert.All(config.Data.Keys, key => Assert.StartsWith("Focus__", key));
        var gateway = Single<V1Deployment>(objects, "focus-gateway");
        Assert.Equal(configName, Assert.Single(Assert.Single(gateway.Spec.Template.Spec.Containers).EnvFrom).ConfigMapRef.Name);
        Assert.Equal(gateway.Spec.Selector.MatchLabels["app.kubernetes.io/name"], Single<V1Service>(objects, "focus-gateway").Spec.Selector["app.kubernetes.io/name"]);
    }

    [Fact]
    public async Task Dev_runs_one_silo_with_PostgreSQL_RabbitMQ_and_the_Secrets_they_need()
    {
        var objects = await Manifests.LoadAsync("overlays/dev");

        Assert.Equal(1, Single<V1StatefulSet>(objects, "focus-silo").Spec.Replicas);
        Single<V1StatefulSet>(objects, "focus-postgres");
        Single<V1StatefulSet>(objects, "focus-rabbitmq");
        Single<V1Deployment>(objects, "focus-simulator");
        Assert.Empty(objects.OfType<V2HorizontalPodAutoscaler>());

        // Every Secret key a container reads is in a Secret of the render.
        var secrets = objects.OfType<V1Secret>().ToDictionary(s => s.Metadata.Name, s => s.StringData.Keys.ToHashSet());
        var refs = objects.SelectMany(PodSpecs).SelectMany(p => p.Containers.Concat(p.InitContainers ?? []))
            .SelectMany(c => c.Env ?? []).Where(e => e.ValueFrom?.SecretKeyRef is not null).Select(e => e.ValueFrom.SecretKeyRef).ToList();
        Assert.NotEmpty(refs);
        Assert.All(refs, r => Assert.True(secrets.TryGetValue(r.Name, out var keys) && keys.Contains(r.Key), $"Secret {r.Name} key {r.Key} is not in the render"));
        Assert.Equal("20", Single<V1ConfigMap>(objects, Assert.Single(Assert.Single(Single<V1StatefulSet>(objects, "focus-silo").Spec.Template.Spec.Containers).EnvFrom).ConfigMapRef.Name).Data["Focus__Jobs__MaxConcurrent"]);
    }

    [Fact]
    public async Task Prod_runs_three_silos_scaled_on_CPU_and_running_jobs_with_Secrets_left_to_the_operator()
    {
        var objects = await Manifests.LoadAsync("overlays/prod");

        var silo = Single<V1StatefulSet>(objects, "focus-silo");
        Assert.Equal(3, silo.Spec.Replicas);
        Assert.NotNull(silo.Spec.Template.Spec.Affinity.PodAntiAffinity.RequiredDuringSchedulingIgnoredDuringExecution);
        var hpa = Single<V2HorizontalPodAutoscaler>(objects, "focus-silo");
        Assert.Equal(("StatefulSet", "focus-silo"), (hpa.Spec.ScaleTargetRef.Kind, hpa.Spec.ScaleTargetRef.Name));
        Assert.Equal(3, hpa.Spec.MinReplicas);
        Assert.Contains(hpa.Spec.Metrics, m => m.Type == "Resource" && m.Resource.Name == "cpu");
        Assert.Contains(hpa.Spec.Metrics, m => m.Type == "Pods" && m.Pods.Metric.Name == "focus_jobs_running");
        Assert.Empty(objects.OfType<V1Secret>());
        Assert.DoesNotContain(objects.OfType<V1StatefulSet>(), s => s.Metadata.Name is "focus-postgres" or "focus-rabbitmq");
        Assert.All(objects.SelectMany(PodSpecs).SelectMany(p => p.Containers), c => Assert.EndsWith(":1.0.0", c.Image));
    }

    private static T Single<T>(List<object> objects, string name) where T : IKubernetesObject<V1ObjectMeta> =>
        Assert.Single(objects.OfType<T>(), o => o.Metadata.Name == name);

    private static IEnumerable<V1PodSpec> PodSpecs(object o) => o switch
    {
        V1StatefulSet s => [s.Spec.Template.Spec],
        V1Deployment d => [d.Spec.Template.Spec],
        _ => [],
    };
}
