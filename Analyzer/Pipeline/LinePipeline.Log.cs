using Microsoft.Extensions.Logging;

namespace Focus.Analyzer.Pipeline;

internal sealed partial class LinePipeline
{
    [LoggerMessage(Level = LogLevel.Debug, Message = "Reader attached: reading live input from line {Line} (sample {SampleIndex})")]
    private partial void LogReading(long line, long sampleIndex);

    [LoggerMessage(Level = LogLevel.Debug, Message = "No reader left: input released before line {Line}")]
    private partial void LogIdle(long line);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Live input gap: block at sample {SampleIndex}, resuming at line {Line} ({Gaps} gaps so far)")]
    private partial void LogGap(long sampleIndex, long line, long gaps);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Job fell {Seconds:F1} s behind live input; skipped to the newest data ({CatchUps} times so far)")]
    private partial void LogCaughtUp(double seconds, long catchUps);

    [LoggerMessage(Level = LogLevel.Information, Message = "First line published {Seconds:F3} s after start")]
    private partial void LogFirstLine(double seconds);

    [LoggerMessage(Level = LogLevel.Error, Message = "Pipeline failed; the job's streams end ABORTED")]
    private partial void LogFault(Exception exception);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Pipeline did not stop within {Wait}")]
    private partial void LogSlowStop(TimeSpan wait);
}
