using System.Net.Sockets;
using Focus.Grains.Jobs;
using Orleans.Serialization;

namespace Focus.UnitTests.Jobs;

/// <summary>A store that cannot be reached is told from an internal fault, also when Orleans could not carry its exception.</summary>
public sealed class StoreFaultsTests
{
    [Fact]
    public void The_store_unreachable_is_found_in_the_chain_and_in_what_Orleans_sends_instead()
    {
        Assert.True(StoreFaults.IsUnreachable(new InvalidOperationException("read failed", new SocketException(111))));
        Assert.True(StoreFaults.IsUnreachable(new TimeoutException()));
        // A remote silo's Npgsql exception has no codec: the caller gets only its name.
        Assert.True(StoreFaults.IsUnreachable(new CodecNotFoundException("Could not find a codec for type Npgsql.NpgsqlException.")));
        Assert.True(StoreFaults.IsUnreachable(new Exception("wrapped", new CodecNotFoundException("Could not find a codec for type Npgsql.PostgresException."))));

        Assert.False(StoreFaults.IsUnreachable(new InvalidOperationException("a bug")));
        Assert.False(StoreFaults.IsUnreachable(new CodecNotFoundException("Could not find a codec for type Focus.Something.")));
    }
}
