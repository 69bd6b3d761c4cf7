using System.Data.Common;
using System.Net.Sockets;
using Orleans.Serialization;

namespace Focus.Grains.Jobs;

/// <summary>
/// Whether a failed state read or write is the store being unreachable (CONTRACT: "storage … unreachable" is a 503 with
/// Retry-After) rather than an internal fault. Grain storage wraps the provider's exception, so the chain is searched;
/// across silos the provider's exception may arrive as Orleans' stand-in for a type it could not carry, named by type.
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
            if (e is UnavailableExceptionFallbackException { ExceptionType: { } type } && UnreachableTypes.Any(t => type.EndsWith(t, StringComparison.Ordinal)))
                return true;
        }
        return false;
    }
}
