namespace Focus.Grains.Jobs;

/// <summary>The lifecycle of a job (CONTRACT §1 /metadata <c>state</c>).</summary>
public enum JobPhase
{
    Configured,
    Starting,
    Running,
    Completed,
    Failed,
    Cancelled,
    Expired,
}

public static class JobPhaseExtensions
{
    public static bool IsFinal(this JobPhase phase) =>
        phase is JobPhase.Completed or JobPhase.Failed or JobPhase.Cancelled or JobPhase.Expired;

    /// <summary>The wire name of <c>state</c>.</summary>
    public static string ToWire(this JobPhase phase) => phase.ToString().ToLowerInvariant();

    /// <summary>The production <c>status</c> vocabulary: pending, success, failed, error.</summary>
    public static string ToStatus(this JobPhase phase) => phase switch
    {
        JobPhase.Configured or JobPhase.Starting => "pending",
        JobPhase.Running or JobPhase.Completed => "success",
        JobPhase.Failed => "failed",
        _ => "error",
    };

    public static bool TryParseWire(string? text, out JobPhase phase) =>
        Enum.TryParse(text, ignoreCase: true, out phase) && Enum.IsDefined(phase);
}
