using System.Net;
using System.Net.Sockets;
using Focus.Grains.Analyzers;

namespace Focus.UnitTests.Analyzers;

public sealed class StreamPortPoolTests
{
    [Fact]
    public void A_port_another_process_listens_on_is_skipped()
    {
        using var other = new TcpListener(IPAddress.Loopback, 0);
        other.Start();
        var held = ((IPEndPoint)other.LocalEndpoint).Port;
        var pool = new StreamPortPool(held, held + 1, IPAddress.Loopback);

        Assert.True(pool.TryRent(out var port));
        Assert.NotEqual(held, port);
        Assert.False(pool.TryRent(out _)); // the only other port is the held one
        Assert.Equal(1, pool.InUse);
    }

    [Fact]
    public void Released_ports_are_rented_again_and_taken_ports_rest_without_counting_as_in_use()
    {
        var first = FreePortBlock();
        var pool = new StreamPortPool(first, first + 1, IPAddress.Loopback);
        Assert.True(pool.TryRent(out var a));
        Assert.True(pool.TryRent(out var b));
        Assert.NotEqual(a, b);
        Assert.Equal(2, pool.InUse);

        pool.ReleaseTaken(a, TimeSpan.FromMinutes(1));
        Assert.Equal(1, pool.InUse);
        Assert.False(pool.TryRent(out _)); // a rests, b is rented

        pool.Release(b);
        Assert.True(pool.TryRent(out var again));
        Assert.Equal(b, again);

        pool.ReleaseTaken(again, TimeSpan.Zero);
        Assert.Equal(0, pool.InUse);
        Assert.True(pool.TryRent(out _)); // a rest of zero is over at once
    }

    /// <summary>Two consecutive ports nobody listens on now.</summary>
    private static int FreePortBlock()
    {
        for (var attempt = 0; attempt < 50; attempt++)
        {
            using var probe = new TcpListener(IPAddress.Loopback, 0);
            probe.Start();
            var port = ((IPEndPoint)probe.LocalEndpoint).Port;
            probe.Stop();
            if (port >= IPEndPoint.MaxPort) continue;
            try
            {
                using var next = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
                next.Bind(new IPEndPoint(IPAddress.Loopback, port + 1));
                return port;
            }
            catch (SocketException)
            {
            }
        }
        throw new InvalidOperationException("no two consecutive free ports");
    }
}
