using System.Net.Sockets;
using Focus.Grains.Hosting;
using Focus.Grains.Jobs;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using Orleans.Serialization;

namespace Focus.UnitTests.Jobs;

/// <summary>A store that cannot be reached is told from an internal fault, also when the fault comes from another silo.</summary>
public sealed class StoreFaultsTests
{
    [Fact]
    public void The_store_unreachable_is_found_in_the_exception_chain()
    {
        Assert.True(StoreFaults.IsUnreachable(new InvalidOperationException("read failed", new SocketException(111))));
        Assert.True(StoreFaults.IsUnreachable(new TimeoutException()));
        Assert.False(StoreFaults.IsUnreachable(new InvalidOperationException("a bug")));
    }

    [Fact]
    public void Orleans_carries_the_stores_exceptions_between_silos()
    {
        // Without it a remote silo's NpgsqlException arrives as a CodecNotFoundException naming the type.
        using var provider = new ServiceCollection().AddStoreExceptionSerialization().BuildServiceProvider();
        Assert.Contains("Npgsql", provider.GetRequiredService<IOptions<ExceptionSerializationOptions>>().Value.SupportedNamespacePrefixes);
    }
}
