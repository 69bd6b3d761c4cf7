namespace Focus.Grains.Jobs;

/// <summary>The persisted record of a job; null <see cref="Status"/> means the id was never issued (or was forgotten).</summary>
[GenerateSerializer, Alias("Focus.JobState")]
public sealed record JobState
{
    [Id(0)] public JobStatus? Status { get; init; }
    /// <summary>A completed historic job whose stream still serves replays (until idle); its analyzer holds a port.</summary>
    [Id(1)] public bool Serving { get; init; }
    /// <summary>When an ended job (no longer serving) is forgotten: its state deleted, its id unknown (Focus:Jobs:Retention).</summary>
    [Id(2)] public DateTimeOffset? ForgetAt { get; init; }

    /// <summary>Ended and holding nothing: only its record is left, until <see cref="ForgetAt"/>.</summary>
    public bool IsSettled => Status is { } status && status.Phase.IsFinal() && !Serving;
}
