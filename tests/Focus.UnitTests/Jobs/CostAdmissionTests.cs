using Focus.Grains.Admission;
using Focus.Grains.Analyzers;
using Focus.Grains.Fiber;
using Focus.Grains.Jobs;

namespace Focus.UnitTests.Jobs;

/// <summary>The per-job cost limits at their defaults: what production's clients ask is admitted, what no silo could compute is not.</summary>
public sealed class CostAdmissionTests
{
    private static readonly FiberMetadata Fiber = new() { Prr = 2000, NumberOfChannels = 2222, Dx = 1.02 };
    private static readonly AdmissionOptions Defaults = new();

    public static TheoryData<string, ConfigureRequest> ProductionRequests => new()
    {
        { "the contract's example", Spectral(1, 50, nfft: 1024, duration: 10, height: 1000, fmax: 500) },
        { "the README's session", Spectral(10, 14, nfft: 1024, duration: 10, height: 1000, fmax: 500) },
        { "SINGLECHANNEL at nfft 65536, 1000 lines/s", Spectral(12, 12, nfft: 65536, duration: 1, height: 1000, view: ViewType.Singlechannel) },
        { "full-fiber WATERFALL", new ConfigureRequest { ViewType = ViewType.Waterfall, Height = 1000, ChannelMin = 1, ChannelMax = 2222 } },
        { "full-fiber MULTICHANNEL, nfft 1024, 100 lines/s", Spectral(1, 2222, nfft: 1024, duration: 10, height: 1000) },
        { "500 channels, nfft 65536, 33 lines/s", Spectral(1, 500, nfft: 65536, duration: 30, height: 1000) },
        { "999 channels, nfft 65536, 100 lines/s", Spectral(1, 999, nfft: 65536, duration: 10, height: 1000) },
        { "full fiber, nfft 65536, 33 lines/s", Spectral(1, 2222, nfft: 65536, duration: 30, height: 1000) },
        { "the longest axis on one line", Spectral(1, 2222, nfft: 65536, duration: 3600, height: 1) },
    };

    [Theory]
    [MemberData(nameof(ProductionRequests))]
    public void What_production_clients_ask_is_admitted(string what, ConfigureRequest request)
    {
        var problem = CostAdmission.Judge(Derive(request), Defaults);
        Assert.True(problem is null, $"{what}: {problem?.Detail}");
    }

    [Fact]
    public void A_nanosecond_axis_at_nfft_65536_over_the_whole_fiber_is_refused_naming_fields_and_limits()
    {
        var p = Derive(Spectral(1, 2222, nfft: 65536, duration: 1e-9, height: 1000));
        var cost = JobCost.Of(p);
        Assert.Equal(2000, cost.LinesPerSecond);
        Assert.Equal(2222.0 * 65536 * 2000, cost.FftSamplesPerSecond);

        var problem = CostAdmission.Judge(p, Defaults)!;
        Assert.Equal(JobProblemKind.Invalid, problem.Kind);
        Assert.StartsWith(CostAdmission.TooExpensive, problem.Detail);
        Assert.Contains("2000 lines/s per stream", problem.Detail);
        Assert.Contains("Focus:Admission:MaxLinesPerSecond = 1000", problem.Detail);
        Assert.Contains("Focus:Admission:MaxFftSamplesPerSecond = 2E+10", problem.Detail);
        Assert.Contains("Focus:Admission:MaxOutputBytesPerSecond", problem.Detail);
        Assert.Equal(["displayTimeAxisDuration", "displayInfo.height", "channels", "nfftSelection", "frequencyRange"], problem.Errors!.Keys);
    }

    [Fact]
    public void Each_limit_is_judged_on_its_own_and_0_switches_it_off()
    {
        // 1,000 lines/s is the limit itself: admitted; 2,000 (hop 1) is not, whatever the channels.
        Assert.Null(CostAdmission.Judge(Derive(Spectral(5, 5, nfft: 128, duration: 1, height: 1000)), Defaults));
        var fast = CostAdmission.Judge(Derive(Spectral(5, 5, nfft: 128, duration: 0.5, height: 1000)), Defaults)!;
        Assert.Equal(["displayTimeAxisDuration", "displayInfo.height"], fast.Errors!.Keys);
        Assert.Null(CostAdmission.Judge(Derive(Spectral(5, 5, nfft: 128, duration: 0.5, height: 1000)), new AdmissionOptions { MaxLinesPerSecond = 0 }));

        var memory = new AdmissionOptions { MaxMemoryBytes = 100_000_000 };
        var big = CostAdmission.Judge(Derive(Spectral(1, 500, nfft: 65536, duration: 30, height: 1000)), memory)!;
        Assert.Contains("Focus:Admission:MaxMemoryBytes", big.Detail);
        Assert.Equal(["channels", "nfftSelection"], big.Errors!.Keys);
    }

    [Fact]
    public void A_waterfall_line_rate_above_the_limit_names_the_configuration()
    {
        var p = JobParametersDerivation.Derive(new ConfigureRequest { ViewType = ViewType.Waterfall, Height = 100, ChannelMin = 1, ChannelMax = 10 }, Fiber, 2000);
        var problem = CostAdmission.Judge(p, Defaults)!;
        Assert.Contains("Focus:Waterfall:LinesPerSecond", problem.Detail);
        Assert.Equal(["view_type"], problem.Errors!.Keys);
    }

    [Fact]
    public void The_registry_assesses_a_live_request_before_the_job_exists_and_skips_what_it_cannot_derive()
    {
        var (fft, refusal) = CostAdmission.Assess(Spectral(1, 500, nfft: 65536, duration: 10, height: 1000), Fiber, 100, Defaults);
        Assert.Equal(500.0 * 65536 * 100, fft);
        Assert.Null(refusal);
        Assert.Equal((0.0, null), CostAdmission.Assess(Spectral(1, 500), FiberMetadata.Waiting, 100, Defaults));
        Assert.Equal((0.0, null), CostAdmission.Assess(Spectral(1, 5000), Fiber, 100, Defaults)); // the job refuses it (channels)
        Assert.NotNull(CostAdmission.Assess(Spectral(1, 2222, nfft: 65536, duration: 1e-9), Fiber, 100, Defaults).Refusal);
    }

    private static JobParameters Derive(ConfigureRequest request) => JobParametersDerivation.Derive(request, Fiber, 100);

    private static ConfigureRequest Spectral(int min, int max, int nfft = 1024, double duration = 10, int height = 1000, double? fmax = null,
        ViewType view = ViewType.Multichannel) => new()
        {
            ViewType = view,
            Height = height,
            ChannelMin = min,
            ChannelMax = max,
            NfftSelection = nfft,
            DisplayTimeAxisDuration = duration,
            FrequencyMax = fmax,
        };
}
