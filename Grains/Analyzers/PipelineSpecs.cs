using Focus.Analyzer.Historic;
using Focus.Analyzer.Pipeline;
using Focus.Grains.Jobs;

namespace Focus.Grains.Analyzers;

/// <summary>Translates the control plane's assignment into the data plane's spec.</summary>
internal static class PipelineSpecs
{
    public static PipelineSpec From(AnalyzerAssignment assignment)
    {
        var p = assignment.Parameters;
        var waterfall = p.ViewType == ViewType.Waterfall;
        var live = new PipelineSpec
        {
            JobId = assignment.JobId,
            IsWaterfall = waterfall,
            ChannelMin = p.ChannelMin,
            ChannelMax = p.ChannelMax,
            Prr = p.Prr,
            Hop = p.Hop,
            Nfft = p.InternalNfft,
            FirstBin = waterfall ? 0 : p.FirstBin,
            BinCount = waterfall ? 0 : p.FrequenciesAmount,
            StreamAmount = p.StreamAmount,
            // Line 0 is the frame that ends as the job starts, so a reader gets a complete line at once
            // instead of waiting internal_nfft / prr seconds for the first frame to fill.
            StartSampleIndex = SampleIndexAt(assignment.StartsAt, p.Prr) - p.InternalNfft,
            NumericJobId = int.TryParse(assignment.JobId, out var numeric) ? numeric : null,
        };
        if (assignment.Historic is not { } historic) return live;

        // Historic: line 0 is the frame that starts at the window's first sample; lines start before its end.
        var first = SampleIndexAt(historic.Start, p.Prr);
        return live with
        {
            StartSampleIndex = first,
            Historic = new HistoricPlan
            {
                FirstSample = first,
                EndSample = Math.Max(first + 1, SampleIndexAt(historic.End, p.Prr)),
                Files = historic.Files,
                StorageRoot = historic.StorageRoot,
            },
        };
    }

    /// <summary>The first sample at or after <paramref name="time"/>, counted from the epoch at <paramref name="prr"/>.</summary>
    public static long SampleIndexAt(DateTimeOffset time, double prr) =>
        (long)Math.Ceiling((time - DateTimeOffset.UnixEpoch).Ticks * prr / TimeSpan.TicksPerSecond);
}
