using Focus.Grains.Jobs;

namespace Focus.Grains.Exposure;

/// <summary>
/// <c>direct</c>: clients call the silo itself, at its advertised <c>Focus:Streams:Host</c> and the job's pooled
/// port; there is nothing to make or take down.
/// </summary>
public sealed class DirectStreamExposure : IStreamExposure
{
    public Task<ExposedStream> ExposeAsync(string jobId, JobResources resources, CancellationToken cancellationToken) =>
        Task.FromResult(new ExposedStream(resources.StreamHost, resources.StreamPort));

    public Task ReleaseAsync(string jobId, CancellationToken cancellationToken) => Task.CompletedTask;
}
