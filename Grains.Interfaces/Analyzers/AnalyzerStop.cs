namespace Focus.Grains.Analyzers;

/// <summary>How a job's streams end: Completed → OK, Cancelled/Expired → CANCELLED, Failed → ABORTED.</summary>
public enum AnalyzerStopKind { Completed, Cancelled, Expired, Failed }

[GenerateSerializer, Immutable, Alias("Focus.AnalyzerStop")]
public sealed record AnalyzerStop([property: Id(0)] AnalyzerStopKind Kind, [property: Id(1)] string Reason);
