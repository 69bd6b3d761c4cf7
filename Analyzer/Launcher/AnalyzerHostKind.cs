namespace Focus.Analyzer.Launcher;

/// <summary>The values of <c>Focus:Analyzer:Host</c> (configuration spells them in lower case).</summary>
public enum AnalyzerHostKind
{
    /// <summary>In the silo's process, beside its <c>AnalyzerWorkerGrain</c>.</summary>
    Grain,

    /// <summary>In a child process of the silo per job.</summary>
    Process,
}
