using Focus.Grains.Jobs;

namespace Focus.Gateway.Contracts;

/// <summary>Shapes a <see cref="JobStatus"/> into the production JSON.</summary>
public static class JobResponses
{
    public static ConfigureResponse Configured(JobStatus job)
    {
        var p = job.Parameters;
        IReadOnlyList<double> frequencies = p is null ? [] : p.Frequencies();
        return new ConfigureResponse
        {
            Status = "success",
            JobId = job.JobId,
            StreamUrl = job.Resources?.StreamHost,
            StreamPort = job.Resources?.StreamPort,
            ViewType = (int)job.Request.ViewType,
            ChannelAmount = job.Request.ChannelMax - job.Request.ChannelMin + 1,
            StreamAmount = p?.StreamAmount ?? 0,
            ChannelToStreamIndex = p is null ? new Dictionary<string, int>() : JobParametersDerivation.ChannelToStreamIndex(p),
            FrequenciesList = frequencies,
            FrequenciesAmount = frequencies.Count,
            LinesDt = p?.LinesDt ?? 0,
            InternalNfft = p?.InternalNfft ?? 0,
            Metadata = job.Fiber is { } f ? new ResponseFiber(f.Prr, f.Dx, f.NumberOfChannels) : new ResponseFiber(0, 0, 0),
            Mode = job.Mode,
            CreatedAt = WireTime.Format(job.CreatedAt),
            Owner = job.Caller?.Owner,
            StreamTls = job.Resources?.StreamTls == true ? true : null,
        };
    }

    public static JobMetadataResponse Metadata(JobStatus job)
    {
        var c = Configured(job);
        var a = job.Activity;
        return new JobMetadataResponse
        {
            Status = job.Phase.ToStatus(),
            JobId = c.JobId,
            StreamUrl = c.StreamUrl,
            StreamPort = c.StreamPort,
            ViewType = c.ViewType,
            ChannelAmount = c.ChannelAmount,
            StreamAmount = c.StreamAmount,
            ChannelToStreamIndex = c.ChannelToStreamIndex,
            FrequenciesList = c.FrequenciesList,
            FrequenciesAmount = c.FrequenciesAmount,
            LinesDt = c.LinesDt,
            InternalNfft = c.InternalNfft,
            Metadata = c.Metadata,
            Mode = c.Mode,
            CreatedAt = c.CreatedAt,
            Owner = c.Owner,
            StreamTls = c.StreamTls,
            State = job.Phase.ToWire(),
            StateChanges = job.PhaseChanges.Select(s => new StateChange(s.Phase.ToWire(), WireTime.Format(s.At))).ToList(),
            Request = RequestDocument(job.Request),
            Resources = job.Resources is { } r
                ? new ResourcesDocument(r.StreamHost, r.StreamPort, r.Silo, r.EstimatedMemoryBytes, r.EstimatedCpuCores, r.Queue)
                : null,
            ConnectedClients = a.ConnectedClients,
            LinesEmitted = a.LinesEmitted,
            Gaps = a.Gaps,
            DroppedLines = a.DroppedLines,
            FirstLineAt = WireTime.Format(a.FirstLineAt),
            LastReadAt = WireTime.Format(a.LastReadAt),
            FailureReason = job.FailureReason,
            CorrelationIdValue = job.CorrelationId,
        };
    }

    public static ConfigureRequestDocument RequestDocument(ConfigureRequest r) => new()
    {
        ViewType = (int)r.ViewType,
        DisplayInfo = new DisplayInfoDocument(r.Height),
        Channels = new RangeDocument<int>(r.ChannelMin, r.ChannelMax),
        NfftSelection = r.NfftSelection,
        DisplayTimeAxisDuration = r.DisplayTimeAxisDuration,
        FrequencyRange = r.FrequencyMin is null && r.FrequencyMax is null ? null : new OptionalRangeDocument(r.FrequencyMin, r.FrequencyMax),
        StartTime = r.StartTime?.ToUnixTimeSeconds(),
        EndTime = r.EndTime?.ToUnixTimeSeconds(),
    };

}
