namespace Focus.Grains.Jobs;

/// <summary>What a pull found: lines (201), none yet (200), the job's end (208), or a job whose data plane cannot serve pulls.</summary>
public enum PullState { Lines, Empty, Ended, Unsupported }
