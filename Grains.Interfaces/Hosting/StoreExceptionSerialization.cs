using Microsoft.Extensions.DependencyInjection;
using Orleans.Serialization;

namespace Focus.Grains.Hosting;

/// <summary>
/// Lets Orleans carry the job store's exceptions (Npgsql's) between silos and to the gateway like the framework's own,
/// so a caller tells "the store is unreachable" from an internal fault by the exception itself
/// (<see cref="Jobs.StoreFaults"/>). Outside Orleans' default namespaces, a remote silo could only send a
/// <c>CodecNotFoundException</c> naming the type.
/// </summary>
public static class StoreExceptionSerialization
{
    public static IServiceCollection AddStoreExceptionSerialization(this IServiceCollection services) =>
        services.Configure<ExceptionSerializationOptions>(o =>
        {
            if (!o.SupportedNamespacePrefixes.Contains("Npgsql")) o.SupportedNamespacePrefixes.Add("Npgsql");
        });
}
