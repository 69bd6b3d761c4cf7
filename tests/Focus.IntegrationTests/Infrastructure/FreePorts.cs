using System.Net;
using System.Net.Sockets;

namespace Focus.IntegrationTests.Infrastructure;

/// <summary>
/// Ports for test servers on loopback, below the kernel's ephemeral range: one for a server a test starts later (a
/// silo process, minutes later on a loaded machine), or a block no one else in this run uses. A port given for port
/// 0 (a listener on :0, an outgoing connection) never falls there, so none is taken between the choice and the bind,
/// and a census of a silo's ports or a check that a job's port was freed sees only what the test means.
/// </summary>
internal static class FreePorts
{
    private static int _blocksEnd;

    /// <summary>A port nothing listens on now and nothing else in this run is given.</summary>
    public static int Any()
    {
        for (var attempt = 0; ; attempt++)
        {
            var port = Next(1);
            if (CanBind(port) || attempt >= 100) return port;
        }
    }

    /// <summary>A range of <paramref name="size"/> ports for one fixture's stream pool; the pool skips any that are busy.</summary>
    public static (int First, int Last) Block(int size)
    {
        var first = Next(size + 10);
        return (first, first + size - 1);
    }

    private static int Next(int size)
    {
        // Each range starts after the previous one, whatever their sizes, so that no two share a port. Two test
        // processes at once (two checkouts) get the two halves by their pid's parity.
        var end = Interlocked.Add(ref _blocksEnd, size);
        var half = (EphemeralStart - BlocksFrom) / 2;
        return BlocksFrom + (Environment.ProcessId % 2) * half + (end - size) % Math.Max(1, half - size);
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
