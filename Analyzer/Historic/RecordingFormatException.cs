namespace Focus.Analyzer.Historic;

/// <summary>Why a file is not a playable recording.</summary>
public enum RecordingProblem
{
    /// <summary>A PRODML file with no <c>/Acquisition/Raw[0]/RawData</c> (e.g. only processed FBE data).</summary>
    NoRawData,
    /// <summary>Not HDF5, or HDF5 in another layout (Terra15, Silixa native, …).</summary>
    UnsupportedFormat,
    /// <summary>PRODML, but its header or time axis is inconsistent.</summary>
    Invalid,
}

/// <summary>A file that cannot be played back, with the reason in words.</summary>
public sealed class RecordingFormatException(string path, RecordingProblem problem, string reason, Exception? inner = null)
    : Exception($"{System.IO.Path.GetFileName(path)}: {Describe(problem)}: {reason}", inner)
{
    public string FilePath { get; } = path;
    public RecordingProblem Problem { get; } = problem;
    public string Reason { get; } = reason;

    private static string Describe(RecordingProblem problem) => problem switch
    {
        RecordingProblem.NoRawData => "no raw data",
        RecordingProblem.UnsupportedFormat => "unsupported format",
        _ => "invalid recording",
    };
}
