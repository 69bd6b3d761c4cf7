using Focus.Analyzer.Historic;
using Focus.Grains.Fiber;
using Focus.Grains.Recordings;
using Microsoft.Extensions.Options;

namespace Focus.Grains.Jobs;

/// <summary>
/// What a historic job plays: the catalog's recordings over its window (none is a 400, a catalog or storage that
/// cannot answer a 503), the fiber they describe, and the files to open under <c>Focus:Storage:MountPath</c>. Each step
/// answers the assignment so far or the problem that refuses the job.
/// </summary>
public sealed class HistoricWindows(IRecordingCatalog catalog, IOptions<StorageOptions> storage)
{
    private const string NoRecording = "No recording found in given time range";
    private static readonly TimeSpan RetryAfter = TimeSpan.FromSeconds(10);

    public sealed record Found(FiberMetadata? Fiber, HistoricAssignment? Assignment, JobProblem? Problem);

    /// <summary>The recordings' fiber over [<paramref name="from"/>, <paramref name="to"/>], before the request is judged against it.</summary>
    public async Task<Found> Find(DateTimeOffset from, DateTimeOffset to)
    {
        IReadOnlyList<RecordingInfo> recordings;
        try
        {
            recordings = await catalog.FindOverlapping(from, to, CancellationToken.None);
        }
        catch (CatalogUnavailableException ex)
        {
            return Refused(JobProblem.Unavailable(ex.Message, ex.RetryAfter));
        }
        if (recordings.Count == 0)
            return Refused(new JobProblem { Kind = JobProblemKind.NoRecording, Detail = NoRecording });
        if (!recordings.Any(r => r.IsDescribed))
            return Refused(JobProblem.Unavailable(
                $"the {recordings.Count} recording(s) in the time range cannot be read from storage ({storage.Value.MountPath})", RetryAfter));
        var (fiber, _) = RecordingsFiber.From(recordings, from, to);
        return new Found(fiber, new HistoricAssignment { Start = from, End = to, Files = [], StorageRoot = storage.Value.MountPath }, null);
    }

    /// <summary>
    /// The files of <paramref name="found"/>'s window at its fiber's rate, and those reaching <paramref name="tail"/>
    /// past its end (the last lines' frames take internal_nfft samples from there).
    /// </summary>
    public async Task<Found> WithFiles(Found found, TimeSpan tail)
    {
        var (fiber, window) = (found.Fiber!, found.Assignment!);
        try
        {
            var files = await catalog.FindOverlapping(window.Start, window.End + tail, CancellationToken.None);
            return found with
            {
                Assignment = window with
                {
                    Files = files.Where(r => r.Prr == fiber.Prr || !r.IsDescribed).Select(r => storage.Value.Resolve(r.Path)).ToArray(),
                },
            };
        }
        catch (CatalogUnavailableException ex)
        {
            return Refused(JobProblem.Unavailable(ex.Message, ex.RetryAfter));
        }
    }

    private static Found Refused(JobProblem problem) => new(null, null, problem);
}
