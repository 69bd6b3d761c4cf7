using k8s;
using k8s.Models;

namespace Focus.IntegrationTests.Kubernetes;

/// <summary>
/// k8s/ and security: NetworkPolicies keep Orleans' ports to focus pods and open only REST and the job ports,
/// the management port carries the scrape, and prod runs jwt with its stream-token key from a Secret.
/// </summary>
public sealed class KubernetesSecurityManifestTests
{
    public static TheoryData<string> Targets => ["base", "overlays/dev", "overlays/prod"];

    [Theory]
    [MemberData(nameof(Targets))]
    public async Task Orleans_ports_are_reachable_only_from_focus_pods_and_the_job_ports_and_rest_from_anywhere(string target)
    {
        var objects = await Manifests.LoadAsync(target);
        var silo = Policy(objects, "focus-silo");
        var gateway = Policy(objects, "focus-gateway");
        Assert.Equal("focus-silo", silo.Spec.PodSelector.MatchLabels["app.kubernetes.io/name"]);
        Assert.Equal("focus-gateway", gateway.Spec.PodSelector.MatchLabels["app.kubernetes.io/name"]);

        foreach (var port in new[] { 11111, 30000 })
        {
            var rules = silo.Spec.Ingress.Where(r => r.Ports.Any(p => Covers(p, port))).ToList();
            Assert.NotEmpty(rules);
            Assert.All(rules, r => Assert.All(Assert.IsAssignableFrom<IList<V1NetworkPolicyPeer>>(r.FromProperty),
                peer => Assert.Equal("focus", peer.PodSelector.MatchLabels["app.kubernetes.io/part-of"])));
        }
        Assert.Contains(silo.Spec.Ingress, r => r.FromProperty is null && r.Ports.Any(p => Covers(p, 50051)) && r.Ports.Any(p => Covers(p, 50450)));
        Assert.Contains(gateway.Spec.Ingress, r => r.FromProperty is null && r.Ports.Any(p => Covers(p, 8080)));
        Assert.DoesNotContain(gateway.Spec.Ingress, r => r.FromProperty is null && r.Ports.Any(p => Covers(p, 9464)));
        Assert.DoesNotContain(silo.Spec.Ingress, r => r.FromProperty is null && r.Ports.Any(p => Covers(p, 9464)));
    }

    [Theory]
    [MemberData(nameof(Targets))]
    public async Task Metrics_are_scraped_from_the_management_port(string target)
    {
        var objects = await Manifests.LoadAsync(target);
        foreach (var (name, spec, annotations) in Pods(objects).Where(p => p.Name is "focus-silo" or "focus-gateway"))
        {
            var container = spec.Containers[0];
            var config = objects.OfType<V1ConfigMap>().Single(c => c.Metadata.Name == Assert.Single(container.EnvFrom).ConfigMapRef.Name);
            Assert.Equal("http://0.0.0.0:9464", config.Data["Focus__Management__Urls"]);
            Assert.Contains(container.Ports, p => p.ContainerPort == 9464 && p.Name == "management");
            Assert.Equal("9464", annotations["prometheus.io/port"]);
            Assert.NotEqual("management", container.ReadinessProbe.HttpGet.Port.Value); // probes stay on REST
        }
    }

    [Fact]
    public async Task Prod_runs_jwt_with_the_stream_token_key_from_a_Secret_and_dev_keeps_none()
    {
        var prod = await Manifests.LoadAsync("overlays/prod");
        foreach (var (name, spec, _) in Pods(prod).Where(p => p.Name is "focus-silo" or "focus-gateway"))
        {
            var container = spec.Containers[0];
            var config = prod.OfType<V1ConfigMap>().Single(c => c.Metadata.Name == Assert.Single(container.EnvFrom).ConfigMapRef.Name);
            Assert.Equal("jwt", config.Data["Focus__Auth__Mode"]);
            Assert.StartsWith("https://", config.Data["Focus__Auth__Jwt__Authority"]);
            Assert.False(string.IsNullOrEmpty(config.Data["Focus__Auth__Jwt__Audience"]));
            var key = container.Env.Single(e => e.Name == "Focus__Auth__StreamTokens__Keys__0__Secret").ValueFrom.SecretKeyRef;
            Assert.Equal(("focus-auth", "stream-token-key"), (key.Name, key.Key));
            Assert.DoesNotContain(config.Data.Keys, k => k.Contains("Secret", StringComparison.Ordinal)); // secrets never in the ConfigMap
        }

        var dev = await Manifests.LoadAsync("overlays/dev");
        Assert.All(dev.OfType<V1ConfigMap>(), c => Assert.False(c.Data?.ContainsKey("Focus__Auth__Mode") ?? false));
    }

    private static V1NetworkPolicy Policy(List<object> objects, string name) =>
        Assert.Single(objects.OfType<V1NetworkPolicy>(), p => p.Metadata.Name == name);

    private static bool Covers(V1NetworkPolicyPort port, int number)
    {
        var first = int.Parse(port.Port.Value);
        return number >= first && number <= (port.EndPort ?? first);
    }

    private static IEnumerable<(string Name, V1PodSpec Spec, IDictionary<string, string> Annotations)> Pods(List<object> objects) =>
        objects.Select(o => o switch
        {
            V1StatefulSet s => (s.Metadata.Name, s.Spec.Template.Spec, s.Spec.Template.Metadata.Annotations),
            V1Deployment d => (d.Metadata.Name, d.Spec.Template.Spec, d.Spec.Template.Metadata.Annotations),
            _ => default,
        }).Where(p => p.Name is not null)!;
}
