namespace Focus.Grains.Jobs;

/// <summary>The numeric bounds and defaults of the /configure table (CONTRACT §1).</summary>
public static class ConfigureLimits
{
    public const int MinHeight = 1;
    public const int MaxHeight = 10_000;
    public const int LowestChannel = 1;
    public const int MinNfft = 128;
    public const int MaxNfft = 65_536;
    public const int DefaultNfft = 1024;
    /// <summary>The only nfftSelection a WATERFALL request may carry (besides none).</summary>
    public const int WaterfallNfft = 1;
    public const double MaxDisplayTimeAxisDuration = 3600;
    public const double DefaultDisplayTimeAxisDuration = 30;
    /// <summary>Smallest width of a frequencyRange, Hz.</summary>
    public const double MinFrequencySpan = 1;
    /// <summary>Spectral views double internal_nfft while the overlap 1 - hop/nfft is below this.</summary>
    public const double MinWindowOverlap = 0.5;
    public static readonly TimeSpan MaxHistoricWindow = TimeSpan.FromHours(24);
}
