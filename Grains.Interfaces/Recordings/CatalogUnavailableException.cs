namespace Focus.Grains.Recordings;

/// <summary>The recording catalog's store (or the storage folder) did not answer: a 503 for the client.</summary>
[GenerateSerializer, Alias("Focus.CatalogUnavailableException")]
public sealed class CatalogUnavailableException : Exception
{
    public CatalogUnavailableException(string message, Exception? inner = null) : base(message, inner) { }
}
