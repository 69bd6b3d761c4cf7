using Focus.Grains.Exposure;

namespace Focus.UnitTests.Exposure;

public sealed class StreamExposureOptionsTests
{
    [Theory]
    [InlineData(StreamExposureKind.Direct)]
    [InlineData(StreamExposureKind.Kubernetes)]
    public void The_two_exposures_are_accepted(StreamExposureKind exposure) =>
        Assert.True(new StreamExposureOptionsValidator().Validate(null, new StreamExposureOptions { Exposure = exposure }).Succeeded);

    [Fact]
    public void Anything_else_names_the_key_and_the_choices()
    {
        var result = new StreamExposureOptionsValidator().Validate(null, new StreamExposureOptions { Exposure = (StreamExposureKind)7 });
        Assert.True(result.Failed);
        Assert.Contains("Focus:Streams:Exposure is '7'; use direct or kubernetes.", result.FailureMessage);
    }

    [Fact]
    public void A_kubeconfig_that_does_not_exist_no_pod_name_and_bad_times_are_each_named()
    {
        var previous = Environment.GetEnvironmentVariable("POD_NAME");
        Environment.SetEnvironmentVariable("POD_NAME", null);
        try
        {
            var result = new KubernetesOptionsValidator().Validate(null, new KubernetesOptions
            {
                KubeConfig = "/nonexistent/kubeconfig",
                RequestTimeout = TimeSpan.Zero,
                ExposeTimeout = TimeSpan.FromMinutes(1),
                MaxRetries = 11,
                SweepInterval = TimeSpan.FromSeconds(10),
            });
            Assert.True(result.Failed);
            foreach (var key in new[] { "KubeConfig", "PodName", "RequestTimeout", "ExposeTimeout", "MaxRetries", "SweepInterval" })
                Assert.Contains($"Focus:Kubernetes:{key}", result.FailureMessage);
        }
        finally
        {
            Environment.SetEnvironmentVariable("POD_NAME", previous);
        }
    }

    [Fact]
    public void A_kubeconfig_file_and_a_pod_name_are_enough()
    {
        var file = Path.GetTempFileName();
        try
        {
            var result = new KubernetesOptionsValidator().Validate(null, new KubernetesOptions { KubeConfig = file, PodName = "focus-silo-0" });
            Assert.True(result.Succeeded, result.FailureMessage);
        }
        finally
        {
            File.Delete(file);
        }
    }
}
