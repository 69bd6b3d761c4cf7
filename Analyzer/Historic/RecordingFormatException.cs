namespace Focus.Analyzer.Historic;

/// <summary>Why a file is not a playable recording.</summary>
public enum RecordingProblem
{
    /// <summary>A PRODML file with no <c>/Acquisition/Raw[0]/RawData</c> (e.g. only processed FBE data).</summary>
    NoRawData,
    /// <summary>Not a format that is read (not HDF5 nor SEG-Y, an HDF5 layout of no known vendor, a SEG-Y data sample format not read, …).</summary>
    UnsupportedFormat,
    /// <summary>A known format, but its header or time axis is inconsistent or beyond <see cref="RecordingLimits"/>.</summary>
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
