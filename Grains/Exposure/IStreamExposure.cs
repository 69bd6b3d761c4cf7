using Focus.Grains.Jobs;

namespace Focus.Grains.Exposure;

/// <summary>
/// How a running job's stream is made reachable by clients (<c>Focus:Streams:Exposure</c>): what the job answers
/// as <c>stream_url</c>/<c>stream_port</c>, and what is taken down again on every end of the job.
/// </summary>
public interface IStreamExposure
{
    /// <summary>
    /// Makes the stream the analyzer serves (<paramref name="resources"/>: its silo, host and pooled port) reachable
    /// and says where. Throws <see cref="StreamExposureUnavailableException"/> when the platform refuses or does not
    /// answer; whatever was made on the way is removed first.
    /// </summary>
    Task<ExposedStream> ExposeAsync(string jobId, JobResources resources, CancellationToken cancellationToken);

    /// <summary>Takes the job's exposure down; nothing to take down is fine. Throws when the platform does not answer.</summary>
    Task ReleaseAsync(string jobId, CancellationToken cancellationToken);
}
