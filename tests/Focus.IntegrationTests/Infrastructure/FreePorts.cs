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
        // Each block starts after the previous one, whatever their sizes, so that no two fixtures share a port. Blocks
        // lie below the kernel's ephemeral range: a port given for port 0 (a listener on :0, an outgoing connection)
        // never falls inside one, where a census of a silo's ports or a check that a job's port was freed would see
        // it. Two test processes at once (two checkouts) get the two halves by their pid's parity.
        var end = Interlocked.Add(ref _blocksEnd, size + 10);
        var half = (EphemeralStart - BlocksFrom) / 2;
        var first = BlocksFrom + (Environment.ProcessId % 2) * half + (end - size) % Math.Max(1, half - size);
        return (first, first + size - 1);
    }

    private const int BlocksFrom = 10000;

    /// <summary>The first port of the kernel's ephemeral range (Linux: net.ipv4.ip_local_port_range).</summary>
    private static readonly int EphemeralStart = ReadEphemeralStart();

    private static int ReadEphemeralStart()
    {
        const string range = "/proc/sys/net/ipv4/ip_local_port_range";
        var first = File.Exists(range) && int.TryParse(File.ReadAllText(range).Split((char[])['\t', ' '], StringSplitOptions.RemoveEmptyEntries)[0], out var p) ? p : 32768;
        return first >= BlocksFrom + 16000 ? first : 32768; // a range that starts lower cannot be kept clear: room first
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
