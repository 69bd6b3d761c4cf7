namespace Focus.Grains.Recordings;

/// <summary>
/// The recording catalog's store (or the storage folder) did not answer: a 503 for the client, with
/// <c>Retry-After</c> <see cref="RetryAfter"/>.
/// </summary>
[GenerateSerializer, Alias("Focus.CatalogUnavailableException")]
public sealed class CatalogUnavailableException : Exception
{
    /// <summary>When asking again may help when nothing better is known.</summary>
    public static readonly TimeSpan DefaultRetryAfter = TimeSpan.FromSeconds(10);

    public CatalogUnavailableException(string message, Exception? inner = null) : base(message, inner) { }

    public CatalogUnavailableException(string message, TimeSpan retryAfter, Exception? inner = null) : base(message, inner) =>
        RetryAfter = retryAfter;

    /// <summary>When asking again may help: an open circuit's time left, else a few seconds.</summary>
    [Id(0)]
    public TimeSpan RetryAfter { get; init; } = DefaultRetryAfter;
}
