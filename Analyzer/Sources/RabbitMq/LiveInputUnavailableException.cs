namespace Focus.Analyzer.Sources.RabbitMq;

/// <summary>The broker cannot be reached now: a live /configure is a 503 with Retry-After.</summary>
public sealed class LiveInputUnavailableException(string message, Exception? inner = null) : Exception(message, inner)
{
    public TimeSpan RetryAfter { get; init; } = TimeSpan.FromSeconds(5);
}
