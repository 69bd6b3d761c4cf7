using System.Net;
using Focus.Grains.Analyzers;
using Orleans.Runtime;

namespace Focus.UnitTests.Cluster;

public sealed class SiloChooserTests
{
    private static SiloLoad Silo(int n, int jobs = 0, double cpu = 0, bool draining = false) => new()
    {
        Silo = SiloAddress.New(new IPEndPoint(IPAddress.Loopback, 11110 + n), 1),
        Name = $"silo-{n}",
        Jobs = jobs,
        EstimatedCpuCores = cpu,
        Draining = draining,
    };

    [Fact]
    public void Equal_jobs_go_round_robin_so_200_spread_evenly_over_3()
    {
        var silos = new[] { Silo(0), Silo(1), Silo(2) };
        for (var i = 0; i < 200; i++)
        {
            var chosen = SiloChooser.Choose(silos, maxJobsPerSilo: 0)!;
            var at = Array.FindIndex(silos, s => s.Name == chosen.Name);
            silos[at] = chosen with { Jobs = chosen.Jobs + 1, EstimatedCpuCores = chosen.EstimatedCpuCores + 0.01 };
        }
        Assert.All(silos, s => Assert.InRange(s.Jobs, 66, 67));
    }

    [Fact]
    public void A_silo_with_heavier_jobs_counts_as_busier()
    {
        var chosen = SiloChooser.Choose([Silo(0, jobs: 10, cpu: 2.0), Silo(1, jobs: 11, cpu: 0.2)], maxJobsPerSilo: 0);
        Assert.Equal("silo-1", chosen!.Name);
    }

    [Fact]
    public void Full_and_draining_silos_take_nothing()
    {
        Assert.Equal("silo-2", SiloChooser.Choose([Silo(0, jobs: 5), Silo(1, draining: true), Silo(2, jobs: 4)], maxJobsPerSilo: 5)!.Name);
        Assert.Null(SiloChooser.Choose([Silo(0, jobs: 5), Silo(1, draining: true)], maxJobsPerSilo: 5));
        Assert.Null(SiloChooser.Choose([], maxJobsPerSilo: 0));
    }

    [Fact]
    public void A_new_empty_silo_is_chosen_first()
    {
        Assert.Equal("silo-2", SiloChooser.Choose([Silo(0, jobs: 60, cpu: 0.6), Silo(1, jobs: 60, cpu: 0.6), Silo(2)], maxJobsPerSilo: 90)!.Name);
    }
}
