using System.Buffers.Text;
using System.Globalization;
using System.Security.Cryptography;
using System.Text;

namespace Focus.Grains.Security;

/// <summary>
/// <c>stream_token</c>: the gateway mints one per job for whoever may read it, the job's gRPC server checks it.
/// A token is <c>{key id}.{job id, base64url}.{expiry, unix seconds}.{HMAC-SHA256, base64url}</c>, the MAC over
/// the job id and expiry with the named key, so keys rotate by id (sign with the new one, keep the old one
/// until its tokens expire) and a token names its job, so another job's token is told apart from a forgery.
/// The one place both sides take the format from.
/// </summary>
public sealed class StreamTokens
{
    public const int MinSecretBytes = 32;
    public const string Scheme = "Bearer";

    private readonly Dictionary<string, byte[]> _keys;
    private readonly string _signingKeyId;
    private readonly TimeSpan _lifetime;
    private readonly TimeProvider _clock;

    public StreamTokens(StreamTokenOptions options, TimeProvider clock)
    {
        _keys = options.Keys.ToDictionary(k => k.Id, k => DecodeSecret(k.Secret)
            ?? throw new ArgumentException($"{AuthOptions.Section}:StreamTokens key '{k.Id}' is not base64"), StringComparer.Ordinal);
        _signingKeyId = options.SigningKeyId.Length > 0 ? options.SigningKeyId : options.Keys.FirstOrDefault()?.Id ?? "";
        _lifetime = options.Lifetime;
        _clock = clock;
    }

    /// <summary>A token for <paramref name="jobId"/> valid for the configured lifetime from now.</summary>
    public string Mint(string jobId) => Mint(jobId, _clock.GetUtcNow() + _lifetime);

    public string Mint(string jobId, DateTimeOffset expires)
    {
        if (!_keys.TryGetValue(_signingKeyId, out var key)) throw new InvalidOperationException("no stream-token signing key is configured");
        var exp = expires.ToUnixTimeSeconds().ToString(CultureInfo.InvariantCulture);
        return $"{_signingKeyId}.{Base64Url.EncodeToString(Encoding.UTF8.GetBytes(jobId))}.{exp}.{Base64Url.EncodeToString(Mac(key, jobId, exp))}";
    }

    /// <summary>Checks the value of an <c>authorization</c> header (<c>Bearer &lt;token&gt;</c>) against the job it reached.</summary>
    public StreamTokenCheck Check(string? authorization, string jobId)
    {
        if (string.IsNullOrEmpty(authorization) || !authorization.StartsWith(Scheme + " ", StringComparison.OrdinalIgnoreCase))
            return StreamTokenCheck.Missing;
        var parts = authorization[(Scheme.Length + 1)..].Trim().Split('.');
        if (parts is not [var keyId, var job64, var exp, var mac64] || !_keys.TryGetValue(keyId, out var key))
            return StreamTokenCheck.Invalid;

        string tokenJob;
        byte[] mac;
        try
        {
            tokenJob = Encoding.UTF8.GetString(Base64Url.DecodeFromChars(job64));
            mac = Base64Url.DecodeFromChars(mac64);
        }
        catch (FormatException)
        {
            return StreamTokenCheck.Invalid;
        }
        if (!CryptographicOperations.FixedTimeEquals(mac, Mac(key, tokenJob, exp))) return StreamTokenCheck.Invalid;
        if (!long.TryParse(exp, NumberStyles.None, CultureInfo.InvariantCulture, out var seconds)) return StreamTokenCheck.Invalid;
        if (_clock.GetUtcNow().ToUnixTimeSeconds() >= seconds) return StreamTokenCheck.Expired;
        return tokenJob == jobId ? StreamTokenCheck.Valid : StreamTokenCheck.OtherJob;
    }

    /// <summary>A configured secret's bytes, or null when it is not base64.</summary>
    public static byte[]? DecodeSecret(string secret)
    {
        try
        {
            return Convert.FromBase64String(secret);
        }
        catch (FormatException)
        {
            return null;
        }
    }

    private static byte[] Mac(byte[] key, string jobId, string exp) =>
        HMACSHA256.HashData(key, Encoding.UTF8.GetBytes($"focus-stream\n{jobId}\n{exp}"));
}
