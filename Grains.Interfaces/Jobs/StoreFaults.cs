using System.Data.Common;
using System.Net.Sockets;

namespace Focus.Grains.Jobs;

/// <summary>
/// Whether a failed state read or write is the store being unreachable (CONTRACT: "storage … unreachable" is a 503 with
/// Retry-After) rather than an internal fault. Grain storage wraps the provider's exception, so the chain is searched;
/// across silos Orleans carries Npgsql's exceptions as they are (<see cref="Hosting.StoreExceptionSerialization"/>).
/// </summary>
public static class StoreFaults
{
    public static readonly TimeSpan RetryAfter = TimeSpan.FromSeconds(5);

    public static bool IsUnreachable(Exception exception)
    {
        for (Exception? e = exception; e is not null; e = e.InnerException)
            if (e is DbException or IOException or SocketException or TimeoutException) return true;
        return false;
    }
}
