namespace Focus.Grains.Exposure;

/// <summary><c>Focus:Streams:Exposure</c>: how clients reach a job's stream (the rest of the section is the analyzer's).</summary>
public sealed class StreamExposureOptions
{
    public const string Section = "Focus:Streams";
    public const string Direct = "direct";
    public const string Kubernetes = "kubernetes";

    /// <summary><c>direct</c> (the silo's host and pooled port) or <c>kubernetes</c> (a NodePort Service per job).</summary>
    public string Exposure { get; set; } = Direct;

    public bool IsKubernetes => Exposure == Kubernetes;
}
