using Focus.Grains.Analyzers;
using Microsoft.Extensions.Logging.Abstractions;

namespace Focus.UnitTests.Analyzers;

/// <summary>The idle trim collects once a silo with no job has gone quiet after some activity, and never while a job runs.</summary>
public sealed class IdleMemoryTrimTests
{
    [Fact]
    public void Trims_once_when_a_quiet_look_follows_activity_and_not_again_until_there_is_more()
    {
        var trim = new IdleMemoryTrim(new LocalAnalyzerJobs(), TimeProvider.System, NullLogger<IdleMemoryTrim>.Instance);

        trim.OnTick(10); // first look: activity since the start
        Assert.Equal(0, trim.Trims);
        trim.OnTick(11); // collections since the last look: still busy
        Assert.Equal(0, trim.Trims);
        trim.OnTick(11); // a whole tick without a collection
        Assert.Equal(1, trim.Trims);

        const int after = 12; // the trim's own collection is not activity
        trim.OnTick(after);
        trim.OnTick(after);
        Assert.Equal(1, trim.Trims);

        trim.OnTick(after + 3);
        trim.OnTick(after + 3);
        Assert.Equal(2, trim.Trims);
    }

    [Fact]
    public void Never_trims_while_a_job_runs_on_the_silo()
    {
        var jobs = new LocalAnalyzerJobs();
        var trim = new IdleMemoryTrim(jobs, TimeProvider.System, NullLogger<IdleMemoryTrim>.Instance);
        jobs.Add("1-1");

        for (var i = 0; i < 5; i++) trim.OnTick(7); // quiet, but a job runs
        Assert.Equal(0, trim.Trims);

        jobs.Remove("1-1");
        trim.OnTick(7);
        Assert.Equal(1, trim.Trims);
    }
}
