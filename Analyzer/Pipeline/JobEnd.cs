namespace Focus.Analyzer.Pipeline;

/// <summary>Why a job's streams end; maps to the gRPC status of CONTRACT §2.</summary>
public enum JobEndKind
{
    /// <summary>Historic window played to its end: status OK.</summary>
    Completed,
    /// <summary>DELETE /job: CANCELLED.</summary>
    Cancelled,
    /// <summary>No reader for the idle timeout: CANCELLED.</summary>
    Expired,
    /// <summary>A fault: ABORTED with the reason.</summary>
    Failed,
}

public sealed record JobEnd(JobEndKind Kind, string Reason)
{
    public static JobEnd Cancelled { get; } = new(JobEndKind.Cancelled, "job cancelled");
}
