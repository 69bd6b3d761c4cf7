namespace Focus.Grains.Jobs;

/// <summary>What a pull found: lines (201), none yet (200), or the job's end (208).</summary>
public enum PullState { Lines, Empty, Ended }
