namespace Focus.Grains.Exposure;

/// <summary>The values of <c>Focus:Streams:Exposure</c> (configuration spells them in lower case).</summary>
public enum StreamExposureKind
{
    /// <summary>The silo's host and pooled port.</summary>
    Direct,

    /// <summary>A NodePort Service per job.</summary>
    Kubernetes,
}
