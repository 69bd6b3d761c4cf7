using Focus.Grains.Exposure;
using k8s;
using k8s.Models;

namespace Focus.IntegrationTests.Kubernetes;

/// <summary>
/// The Role in k8s/base/rbac.yaml grants exactly what the code calls: every call the exposure and the sweeper make
/// (expose with retries and adoption, release, list) is collected from the recorded exchange as resource/verb and
/// compared with the Role's rules.
/// </summary>
public sealed class KubernetesRbacTests
{
    [Fact]
    public async Task The_Role_allows_exactly_the_calls_the_code_makes()
    {
        await using var h = await ExposureHarness.StartAsync();
        h.Api.Slow("POST", "services", TimeSpan.FromSeconds(3)); // so the 409 path (read, adopt) runs too
        h.Api.OmitNodePort(2);
        await h.Exposure.ExposeAsync("1-1000", ExposureHarness.Resources(), CancellationToken.None);
        h.Api.Pods["focus-silo-1"] = "0b7e2f4a-1c3d-4e5f-8a9b-c0d1e2f3a4b5";
        h.Api.AddJobService("2-1000", "focus-silo-1", DateTime.UtcNow);
        await h.Exposure.ExposeAsync("2-1000", ExposureHarness.Resources(), CancellationToken.None); // replaces a stale one
        await h.Client.ListJobServicesAsync(CancellationToken.None);
        await h.Exposure.ReleaseAsync("1-1000", CancellationToken.None);

        var used = h.Api.Requests
            .Select(r => (Resource: r.Resource, Verb: (r.Method, r.Name.Length > 0) switch
            {
                ("GET", true) => "get",
                ("GET", false) => "list",
                ("POST", _) => "create",
                ("DELETE", _) => "delete",
                var other => $"unexpected {other}",
            }))
            .ToHashSet();
        Assert.All(h.Api.Requests, r => Assert.Equal(RecordedKubernetesApi.Namespace, r.Namespace));

        var role = Assert.Single(KubernetesYaml.LoadAllFromString(
            await File.ReadAllTextAsync(Path.Combine(Manifests.Root, "base", "rbac.yaml")), strict: true).OfType<V1Role>());
        var granted = role.Rules
            .SelectMany(rule =>
            {
                Assert.Equal([""], rule.ApiGroups); // core only
                Assert.Null(rule.ResourceNames);
                return rule.Resources.SelectMany(resource => rule.Verbs.Select(verb => (Resource: resource, Verb: verb)));
            })
            .ToHashSet();

        Assert.Equal(granted.OrderBy(g => g).ToList(), used.OrderBy(u => u).ToList());
    }
}
