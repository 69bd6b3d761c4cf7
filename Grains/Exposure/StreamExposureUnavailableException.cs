namespace Focus.Grains.Exposure;

/// <summary>The platform that exposes streams refused or did not answer: /configure is a 503 with <see cref="RetryAfter"/>.</summary>
public sealed class StreamExposureUnavailableException(string message, TimeSpan retryAfter, Exception? inner = null)
    : Exception(message, inner)
{
    public TimeSpan RetryAfter { get; } = retryAfter;
}
