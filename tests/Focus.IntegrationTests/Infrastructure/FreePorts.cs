using System.Net;
using System.Net.Sockets;

namespace Focus.IntegrationTests.Infrastructure;

/// <summary>Ports for test servers on loopback: asked of the OS, or a block no one else in this run uses.</summary>
internal static class FreePorts
{
    private static int _blocksEnd;

    public static int Any()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    /// <summary>A range of <paramref name="size"/> ports for one fixture's stream pool; the pool skips any that are busy.</summary>
    public static (int First, int Last) Block(int size)
    {
        // Each block starts after the previous one, whatever their sizes, so that no two fixtures share a port.
        var end = Interlocked.Add(ref _blocksEnd, size + 10);
        var first = 41000 + (Environment.ProcessId % 7) * 2000 + end - size;
        return (first, first + size - 1);
    }

    public static bool CanBind(int port)
    {
        try
        {
            using var socket = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
            socket.Bind(new IPEndPoint(IPAddress.Any, port));
            return true;
        }
        catch (SocketException)
        {
            return false;
        }
    }
}
