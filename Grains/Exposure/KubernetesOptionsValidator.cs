using k8s;
using Microsoft.Extensions.Options;

namespace Focus.Grains.Exposure;

/// <summary>Checked only with <c>Focus:Streams:Exposure=kubernetes</c>; gathers every failure.</summary>
internal sealed class KubernetesOptionsValidator : IValidateOptions<KubernetesOptions>
{
    public ValidateOptionsResult Validate(string? name, KubernetesOptions o)
    {
        const string s = KubernetesOptions.Section;
        var errors = new List<string>();
        if (o.KubeConfig.Length > 0 && !File.Exists(o.KubeConfig))
            errors.Add($"{s}:KubeConfig is '{o.KubeConfig}', which does not exist; give a kubeconfig file, or leave it empty in a pod.");
        if (o.KubeConfig.Length == 0 && !KubernetesClientConfiguration.IsInCluster())
            errors.Add($"{s}:KubeConfig is empty and this process is not in a pod with a service account (KUBERNETES_SERVICE_HOST and its token); give a kubeconfig file.");
        if (o.EffectivePodName.Length == 0)
            errors.Add($"{s}:PodName is empty and POD_NAME is not set; set either to this silo's pod name (downward API metadata.name).");
        if (o.RequestTimeout <= TimeSpan.Zero)
            errors.Add($"{s}:RequestTimeout is {o.RequestTimeout}; use a positive time.");
        if (o.ExposeTimeout < o.RequestTimeout)
            errors.Add($"{s}:ExposeTimeout is {o.ExposeTimeout}; use at least RequestTimeout ({o.RequestTimeout}).");
        if (o.ExposeTimeout > TimeSpan.FromSeconds(25))
            errors.Add($"{s}:ExposeTimeout is {o.ExposeTimeout}; use 25 s or less (a /configure must answer within the cluster's 30 s call timeout).");
        if (o.MaxRetries is < 0 or > 10)
            errors.Add($"{s}:MaxRetries is {o.MaxRetries}; use 0 to 10.");
        if (o.BreakAfterFailures < 2)
            errors.Add($"{s}:BreakAfterFailures is {o.BreakAfterFailures}; use 2 or more.");
        if (o.BreakDuration < TimeSpan.FromMilliseconds(500))
            errors.Add($"{s}:BreakDuration is {o.BreakDuration}; use 500 ms or more.");
        if (o.SweepInterval < TimeSpan.FromMinutes(1))
            errors.Add($"{s}:SweepInterval is {o.SweepInterval}; use 1 minute or more (it is a reminder period).");
        if (o.SweepGrace < TimeSpan.Zero)
            errors.Add($"{s}:SweepGrace is {o.SweepGrace}; use zero or more.");
        return errors.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(errors);
    }
}
