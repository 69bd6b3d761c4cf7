using System.Data.Common;
using System.Net.Sockets;
using Orleans.Serialization;

namespace Focus.Grains.Jobs;

/// <summary>
/// Whether a failed state read or write is the store being unreachable (CONTRACT: "storage … unreachable" is a 503 with
/// Retry-After) rather than an internal fault. Grain storage wraps the provider's exception, so the chain is searched.
/// </summary>
public static class StoreFaults
{
    public static readonly TimeSpan RetryAfter = TimeSpan.FromSeconds(5);

    private static readonly string[] UnreachableTypes =
        ["NpgsqlException", "PostgresException", "DbException", "SocketException", "IOException", "TimeoutException"];

    public static bool IsUnreachable(Exception exception)
    {
        for (Exception? e = exception; e is not null; e = e.InnerException)
        {
            if (e is DbException or IOException or SocketException or TimeoutException) return true;
            // Across silos the provider's exception arrives as Orleans' stand-in, named only by text: the fallback for a
            // type it could not rebuild ("Npgsql.NpgsqlException,Npgsql"), or the codec it lacked to send the exception
            // at all ("Could not find a codec for type Npgsql.NpgsqlException.").
            var named = e switch
            {
                UnavailableExceptionFallbackException fallback => fallback.ExceptionType,
                CodecNotFoundException missing => missing.Message,
                _ => null,
            };
            if (named is not null && UnreachableTypes.Any(t => named.Contains(t, StringComparison.Ordinal))) return true;
        }
        return false;
    }
}
