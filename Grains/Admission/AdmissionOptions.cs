using Microsoft.Extensions.Options;

namespace Focus.Grains.Admission;

/// <summary>
/// <c>Focus:Admission</c>: what one job may cost (a request over a limit is a 422 naming the fields that make it so)
/// and what one silo's jobs may cost together (placement skips a full silo; all full is a 503). Units are those of
/// <see cref="Analyzers.JobCost"/>. The defaults admit every request production's clients make (full-fiber
/// WATERFALL, MULTICHANNEL of hundreds of channels at nfft 65536 and ordinary line rates) and refuse what no silo
/// could compute in real time; 0 switches a limit off.
/// </summary>
public sealed class AdmissionOptions
{
    public const string Section = "Focus:Admission";

    /// <summary>Lines per second of one stream (prr / hop). A display refreshes at most ~100 Hz; 1,000 leaves room.</summary>
    public double MaxLinesPerSecond { get; set; } = 1_000;

    /// <summary>
    /// Channel-samples per second through the FFT (channels × internal_nfft × lines/s). The SIMD engine does about
    /// 2e8 a core (docs/PERFORMANCE.md), so 2e10 is ~100 cores: more than any one silo has.
    /// </summary>
    public double MaxFftSamplesPerSecond { get; set; } = 2e10;

    /// <summary>Bytes per second the job's streams send when read (values a line × 4 × lines/s, every stream).</summary>
    public double MaxOutputBytesPerSecond { get; set; } = 2e10;

    /// <summary>Estimated memory of one job while read (input windows and reader buffers); 0: no limit.</summary>
    public long MaxMemoryBytes { get; set; }

    /// <summary>Channel-samples per second through the FFT that one silo's active jobs may add up to; 0: no budget.</summary>
    public double SiloFftSamplesPerSecond { get; set; } = 4e10;

    /// <summary>How long a client refused for a full cluster should wait (<c>Retry-After</c>).</summary>
    public TimeSpan RetryAfter { get; set; } = TimeSpan.FromSeconds(10);
}

internal sealed class AdmissionOptionsValidator : IValidateOptions<AdmissionOptions>
{
    public ValidateOptionsResult Validate(string? name, AdmissionOptions o)
    {
        var errors = new List<string>();
        var section = AdmissionOptions.Section;
        Check(o.MaxLinesPerSecond, "MaxLinesPerSecond");
        Check(o.MaxFftSamplesPerSecond, "MaxFftSamplesPerSecond");
        Check(o.MaxOutputBytesPerSecond, "MaxOutputBytesPerSecond");
        Check(o.MaxMemoryBytes, "MaxMemoryBytes");
        Check(o.SiloFftSamplesPerSecond, "SiloFftSamplesPerSecond");
        if (o.SiloFftSamplesPerSecond > 0 && (o.MaxFftSamplesPerSecond == 0 || o.MaxFftSamplesPerSecond > o.SiloFftSamplesPerSecond))
            errors.Add($"{section}:MaxFftSamplesPerSecond is {o.MaxFftSamplesPerSecond} and SiloFftSamplesPerSecond {o.SiloFftSamplesPerSecond}; "
                + "a job one silo could never hold would be refused as 'full' for ever: keep the per-job limit at most the silo's budget.");
        if (o.RetryAfter <= TimeSpan.Zero)
            errors.Add($"{section}:RetryAfter is {o.RetryAfter}; use a positive time such as 00:00:10.");
        return errors.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(errors);

        void Check(double value, string key)
        {
            if (!double.IsFinite(value) || value < 0)
                errors.Add($"{section}:{key} is {value}; use 0 (no limit) or a positive number.");
        }
    }
}
