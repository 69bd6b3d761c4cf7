using System.Globalization;
using Focus.Grains.Fiber;

namespace Focus.Grains.Jobs;

/// <summary>
/// CONTRACT §1 "Derivation": from a valid request and the fiber (live metadata, or the recordings of a
/// historic window) to the parameters the analyzer runs and /configure answers. Pure; call
/// <see cref="ConfigureRequestValidator"/> first (an empty frequency list here is its 422).
/// <c>round</c> is half away from zero, in double.
/// </summary>
public static class JobParametersDerivation
{
    /// <summary><c>Focus:Waterfall:LinesPerSecond</c>'s default.</summary>
    public const double DefaultWaterfallLinesPerSecond = 100;

    public static JobParameters Derive(ConfigureRequest request, FiberMetadata fiber, double waterfallLinesPerSecond)
    {
        ArgumentNullException.ThrowIfNull(request);
        ArgumentNullException.ThrowIfNull(fiber);
        if (!(fiber.Prr > 0 && double.IsFinite(fiber.Prr)))
            throw new ArgumentException($"prr must be a positive number, was {fiber.Prr}.", nameof(fiber));
        var prr = fiber.Prr;

        if (request.ViewType == ViewType.Waterfall)
        {
            if (!(waterfallLinesPerSecond > 0 && double.IsFinite(waterfallLinesPerSecond)))
                throw new ArgumentOutOfRangeException(nameof(waterfallLinesPerSecond), waterfallLinesPerSecond, "Lines per second must be positive.");
            var waterfallHop = HopOf(prr / waterfallLinesPerSecond);
            return new JobParameters
            {
                ViewType = request.ViewType,
                ChannelMin = request.ChannelMin,
                ChannelMax = request.ChannelMax,
                Prr = prr,
                Hop = waterfallHop,
                LinesDt = waterfallHop / prr,
                InternalNfft = waterfallHop,
                FirstBin = 0,
                FrequenciesAmount = 0,
                StreamAmount = 1,
                Height = request.Height,
            };
        }

        var duration = request.DisplayTimeAxisDuration ?? ConfigureLimits.DefaultDisplayTimeAxisDuration;
        var nfftSelection = request.NfftSelection ?? ConfigureLimits.DefaultNfft;
        if (request.Height < ConfigureLimits.MinHeight || !(duration > 0 && double.IsFinite(duration)) || !ConfigureRules.IsValidNfft(nfftSelection))
            throw new ArgumentException("The request breaks the /configure rules; validate it first (ConfigureRequestValidator).", nameof(request));
        var hop = HopOf(duration / request.Height * prr);
        var nfft = InternalNfft(nfftSelection, hop);
        var (firstBin, frequencies) = Bins(prr, nfft, request.FrequencyMin ?? 0, request.FrequencyMax ?? fiber.Nyquist);
        return new JobParameters
        {
            ViewType = request.ViewType,
            ChannelMin = request.ChannelMin,
            ChannelMax = request.ChannelMax,
            Prr = prr,
            Hop = hop,
            LinesDt = hop / prr,
            InternalNfft = nfft,
            FirstBin = firstBin,
            FrequenciesAmount = frequencies,
            StreamAmount = request.ViewType == ViewType.Multichannel ? request.ChannelMax - request.ChannelMin + 1 : 1,
            Height = request.Height,
        };
    }

    /// <summary>
    /// <c>channel_to_stream_index</c> in channel order: MULTICHANNEL <c>{"&lt;ch&gt;": i}</c>, SINGLECHANNEL
    /// <c>{"&lt;ch&gt;": 0}</c>, WATERFALL every channel to 0.
    /// </summary>
    public static IReadOnlyDictionary<string, int> ChannelToStreamIndex(JobParameters parameters)
    {
        ArgumentNullException.ThrowIfNull(parameters);
        var map = new Dictionary<string, int>(parameters.ChannelAmount, StringComparer.Ordinal);
        for (var channel = parameters.ChannelMin; channel <= parameters.ChannelMax; channel++)
        {
            var stream = parameters.ViewType == ViewType.Multichannel ? channel - parameters.ChannelMin : 0;
            map.Add(channel.ToString(CultureInfo.InvariantCulture), stream);
        }
        return map;
    }

    /// <summary><c>max(1, round(samples))</c>, half away from zero; saturates at int.MaxValue.</summary>
    internal static int HopOf(double samples)
    {
        var rounded = Math.Round(samples, MidpointRounding.AwayFromZero);
        return rounded >= int.MaxValue ? int.MaxValue : Math.Max(1, (int)rounded);
    }

    /// <summary>nfftSelection doubled while the overlap 1 - hop/nfft is below 0.5, never above 65536.</summary>
    internal static int InternalNfft(int nfftSelection, int hop)
    {
        var nfft = nfftSelection;
        while (nfft < ConfigureLimits.MaxNfft && 1 - (double)hop / nfft < ConfigureLimits.MinWindowOverlap)
            nfft *= 2;
        return nfft;
    }

    /// <summary>
    /// The bins k * prr / nfft, k = 0..nfft/2, inside [min, max]: the first k kept and how many. Counted, not listed
    /// (an nfft-65536 list is 256 KiB on the large-object heap, and every create derives three times).
    /// </summary>
    internal static (int FirstBin, int Count) Bins(double prr, int nfft, double min, double max)
    {
        var count = 0;
        var firstBin = 0;
        for (var k = 0; k <= nfft / 2; k++)
        {
            var frequency = k * prr / nfft; // nfft is a power of two: the division is exact
            if (frequency > max) break;
            if (frequency < min) continue;
            if (count == 0) firstBin = k;
            count++;
        }
        return (firstBin, count);
    }
}
