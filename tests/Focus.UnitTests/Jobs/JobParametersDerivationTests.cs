using Focus.Grains.Fiber;
using Focus.Grains.Jobs;

namespace Focus.UnitTests.Jobs;

/// <summary>CONTRACT §1 "Derivation", against arithmetic done by hand in the comments.</summary>
public class JobParametersDerivationTests
{
    private static readonly FiberMetadata Fiber = new() { Prr = 2000, NumberOfChannels = 2222 };

    private static ConfigureRequest Spectral(double? duration = 10, int height = 1000, int? nfft = 1024,
        double? fmin = 0, double? fmax = 500, ViewType view = ViewType.Multichannel, int channelMin = 1, int channelMax = 50) => new()
    {
        ViewType = view, Height = height, ChannelMin = channelMin, ChannelMax = channelMax, NfftSelection = nfft,
        DisplayTimeAxisDuration = duration, FrequencyMin = fmin, FrequencyMax = fmax,
    };

    private static JobParameters Derive(ConfigureRequest request, FiberMetadata? fiber = null, double linesPerSecond = 100) =>
        JobParametersDerivation.Derive(request, fiber ?? Fiber, linesPerSecond);

    [Fact]
    public void The_contract_example()
    {
        // hop = round(10 / 1000 * 2000) = round(20) = 20; lines_dt = 20 / 2000 = 0.01
        // overlap 1 - 20/1024 = 0.98 >= 0.5: internal_nfft stays 1024
        // bins k * 2000 / 1024 = k * 1.953125; [0, 500] keeps k = 0..256 (256 * 1.953125 = 500): 257 bins
        var p = Derive(Spectral());

        Assert.Equal(20, p.Hop);
        Assert.Equal(0.01, p.LinesDt);
        Assert.Equal(1024, p.InternalNfft);
        Assert.Equal(257, p.FrequenciesAmount);
        Assert.Equal(0, p.FirstBin);
        Assert.Equal(0.0, p.Frequencies()[0]);
        Assert.Equal(1.953125, p.Frequencies()[1]);
        Assert.Equal(500.0, p.Frequencies()[^1]);
        Assert.All(p.Frequencies().Select((f, k) => (f, k)), x => Assert.Equal(x.k * 1.953125, x.f));
        Assert.Equal(50, p.ChannelAmount);
        Assert.Equal(50, p.StreamAmount);
        Assert.Equal(2000, p.Prr);
        Assert.Equal(1000, p.Height);
        Assert.Equal((ViewType.Multichannel, 1, 50), (p.ViewType, p.ChannelMin, p.ChannelMax));
    }

    [Fact]
    public void A_long_axis_on_few_lines_doubles_the_fft_until_half_overlap()
    {
        // hop = round(30 / 10 * 2000) = 6000
        // 1 - 6000/1024 = -4.86, /2048 = -1.93, /4096 = -0.46, /8192 = 0.268 (all < 0.5), /16384 = 0.634: 16384
        // lines_dt = 6000 / 2000 = 3
        var p = Derive(Spectral(duration: 30, height: 10));

        Assert.Equal(6000, p.Hop);
        Assert.Equal(3.0, p.LinesDt);
        Assert.Equal(16384, p.InternalNfft);
    }

    [Fact]
    public void Defaults_are_30_seconds_nfft_1024_and_0_to_Nyquist()
    {
        // hop = round(30 / 1000 * 2000) = 60; 1 - 60/1024 = 0.94: 1024
        // [0, 1000]: k = 0..512, 513 bins, the last exactly 1000 = Nyquist
        var p = Derive(Spectral(duration: null, nfft: null, fmin: null, fmax: null));

        Assert.Equal(60, p.Hop);
        Assert.Equal(0.03, p.LinesDt, 15);
        Assert.Equal(1024, p.InternalNfft);
        Assert.Equal(513, p.FrequenciesAmount);
        Assert.Equal(1000.0, p.Frequencies()[^1]);
    }

    [Fact]
    public void Half_a_sample_rounds_away_from_zero()
    {
        // prr 512: 5 / 1024 * 512 = 2.5 exactly in binary; round half away from zero: 3 (to-even would give 2)
        // lines_dt = 3 / 512 = 0.005859375
        var p = Derive(Spectral(duration: 5, height: 1024, fmax: null), new FiberMetadata { Prr = 512, NumberOfChannels = 100 });

        Assert.Equal(3, p.Hop);
        Assert.Equal(0.005859375, p.LinesDt);
    }

    [Fact]
    public void A_fractional_hop_rounds_to_the_nearest_sample()
    {
        // prr 1000: 10 / 3 * 1000 = 3333.33: hop 3333
        // 1 - 3333/1024 < 0, /2048 = -0.63, /4096 = 0.186, /8192 = 0.593: 8192
        var p = Derive(Spectral(duration: 10, height: 3, fmax: null), new FiberMetadata { Prr = 1000, NumberOfChannels = 100 });

        Assert.Equal(3333, p.Hop);
        Assert.Equal(3.333, p.LinesDt);
        Assert.Equal(8192, p.InternalNfft);
    }

    [Fact]
    public void The_fft_never_grows_beyond_65536()
    {
        // hop = 3600 / 1 * 2000 = 7 200 000; overlap stays negative up to 65536, where doubling stops
        var p = Derive(Spectral(duration: 3600, height: 1));

        Assert.Equal(7_200_000, p.Hop);
        Assert.Equal(3600.0, p.LinesDt);
        Assert.Equal(65536, p.InternalNfft);
        Assert.Equal(65536, Derive(Spectral(nfft: 65536)).InternalNfft);
    }

    [Fact]
    public void The_hop_is_at_least_one_sample()
    {
        // 0.001 / 10000 * 2000 = 0.0002: rounds to 0, max(1, 0) = 1; lines_dt = 1 / 2000 = 0.0005
        var p = Derive(Spectral(duration: 0.001, height: 10000));

        Assert.Equal(1, p.Hop);
        Assert.Equal(0.0005, p.LinesDt);
        Assert.Equal(1024, p.InternalNfft);
    }

    [Fact]
    public void A_partial_range_defaults_its_missing_end()
    {
        // min 100, max Nyquist 1000: k from ceil(100 / 1.953125) = ceil(51.2) = 52 (101.5625 Hz) to 512: 461 bins
        var fromMin = Derive(Spectral(fmin: 100, fmax: null));
        Assert.Equal(52, fromMin.FirstBin);
        Assert.Equal(101.5625, fromMin.Frequencies()[0]);
        Assert.Equal(1000.0, fromMin.Frequencies()[^1]);
        Assert.Equal(461, fromMin.FrequenciesAmount);

        // min 0, max 200: k = 0..floor(200 / 1.953125) = 0..102 (199.21875 Hz): 103 bins
        var toMax = Derive(Spectral(fmin: null, fmax: 200));
        Assert.Equal(0, toMax.FirstBin);
        Assert.Equal(199.21875, toMax.Frequencies()[^1]);
        Assert.Equal(103, toMax.FrequenciesAmount);
    }

    [Fact]
    public void Bins_on_both_edges_are_kept_and_the_list_ascends()
    {
        // [1.953125, 3.90625] is exactly k = 1..2
        var p = Derive(Spectral(fmin: 1.953125, fmax: 3.90625));

        Assert.Equal(1, p.FirstBin);
        Assert.Equal([1.953125, 3.90625], p.Frequencies());
    }

    [Fact]
    public void A_range_between_bins_keeps_nothing()
    {
        // nfft 128 at hop 20: 15.625 Hz apart; nothing in [1, 10]. The validator turns this into a 422.
        var p = Derive(Spectral(nfft: 128, fmin: 1, fmax: 10));

        Assert.Empty(p.Frequencies());
        Assert.Equal(0, p.FrequenciesAmount);
    }

    [Fact]
    public void Multichannel_has_one_stream_per_channel_in_channel_order()
    {
        var p = Derive(Spectral(channelMin: 10, channelMax: 13));

        Assert.Equal(4, p.StreamAmount);
        Assert.Equal(
            [new("10", 0), new("11", 1), new("12", 2), new("13", 3)],
            JobParametersDerivation.ChannelToStreamIndex(p).ToArray<KeyValuePair<string, int>>());
    }

    [Fact]
    public void Singlechannel_has_one_stream()
    {
        var p = Derive(Spectral(view: ViewType.Singlechannel, channelMin: 7, channelMax: 7));

        Assert.Equal(1, p.ChannelAmount);
        Assert.Equal(1, p.StreamAmount);
        Assert.Equal(new Dictionary<string, int> { ["7"] = 0 }, JobParametersDerivation.ChannelToStreamIndex(p));
    }

    private static ConfigureRequest WaterfallRequest(int channelMin = 1, int channelMax = 3) => new()
    {
        ViewType = ViewType.Waterfall, Height = 1000, ChannelMin = channelMin, ChannelMax = channelMax,
    };

    [Fact]
    public void Waterfall_lines_follow_the_configured_line_rate()
    {
        // hop = round(2000 / 100) = 20; lines_dt = 20 / 2000 = 0.01; internal_nfft = hop = 20
        var p = Derive(WaterfallRequest());

        Assert.Equal(20, p.Hop);
        Assert.Equal(0.01, p.LinesDt);
        Assert.Equal(20, p.InternalNfft);
        Assert.Empty(p.Frequencies());
        Assert.Equal(0, p.FrequenciesAmount);
        Assert.Equal(1, p.StreamAmount);
        Assert.Equal(3, p.ChannelAmount);
        Assert.Equal(
            [new("1", 0), new("2", 0), new("3", 0)],
            JobParametersDerivation.ChannelToStreamIndex(p).ToArray<KeyValuePair<string, int>>());
    }

    [Theory]
    [InlineData(250, 100, 3, 0.012)]      // 250 / 100 = 2.5: away from zero, 3; 3 / 250 = 0.012
    [InlineData(2000, 3000, 1, 0.0005)]   // 0.667 rounds to 1
    [InlineData(2000, 5000, 1, 0.0005)]   // 0.4 rounds to 0, at least 1
    [InlineData(2000, 1, 2000, 1.0)]      // one line a second
    [InlineData(1000, 30, 33, 0.033)]     // 33.33: 33
    public void Waterfall_hop_rounds_half_away_and_is_at_least_one(double prr, double linesPerSecond, int hop, double linesDt)
    {
        var p = Derive(WaterfallRequest(), new FiberMetadata { Prr = prr, NumberOfChannels = 10 }, linesPerSecond);

        Assert.Equal(hop, p.Hop);
        Assert.Equal(hop, p.InternalNfft);
        Assert.Equal(linesDt, p.LinesDt, 15);
    }

    [Fact]
    public void Derivation_needs_a_prr_and_a_line_rate()
    {
        Assert.Throws<ArgumentException>(() => JobParametersDerivation.Derive(Spectral(), FiberMetadata.Waiting, 100));
        Assert.Throws<ArgumentOutOfRangeException>(() => JobParametersDerivation.Derive(WaterfallRequest(), Fiber, 0));
    }

    [Theory]
    [InlineData(0, 10, 1024)]
    [InlineData(1000, 0, 1024)]
    [InlineData(1000, double.NaN, 1024)]
    [InlineData(1000, 10, 0)]
    [InlineData(1000, 10, 1000)]
    public void An_invalid_spectral_request_is_refused_not_looped_on(int height, double duration, int nfft)
    {
        Assert.Throws<ArgumentException>(() => Derive(Spectral(duration: duration, height: height, nfft: nfft)));
    }
}
