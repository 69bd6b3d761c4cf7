namespace Focus.Grains.Security;

/// <summary><c>Focus:Auth:StreamTokens</c>: the HMAC keys of <c>stream_token</c> (see <see cref="StreamTokens"/>).</summary>
public sealed class StreamTokenOptions
{
    /// <summary>Every key a token may be signed with; the old key stays here while its tokens live (rotation).</summary>
    public List<StreamTokenKeyOptions> Keys { get; set; } = [];

    /// <summary>The key new tokens are signed with; empty: the first of <see cref="Keys"/>.</summary>
    public string SigningKeyId { get; set; } = "";

    /// <summary>How long a token opens new calls; a call opened before it expires keeps streaming.</summary>
    public TimeSpan Lifetime { get; set; } = TimeSpan.FromHours(1);
}
