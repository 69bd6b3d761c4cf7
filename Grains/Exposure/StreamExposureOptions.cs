namespace Focus.Grains.Exposure;

/// <summary><c>Focus:Streams:Exposure</c>: how clients reach a job's stream (the rest of the section is the analyzer's).</summary>
public sealed class StreamExposureOptions
{
    public const string Section = "Focus:Streams";

    /// <summary><c>direct</c> (the silo's host and pooled port) or <c>kubernetes</c> (a NodePort Service per job).</summary>
    public StreamExposureKind Exposure { get; set; } = StreamExposureKind.Direct;

    public bool IsKubernetes => Exposure == StreamExposureKind.Kubernetes;
}
