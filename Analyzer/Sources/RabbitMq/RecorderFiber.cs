using Focus.Analyzer.Sources.RabbitMq.Protos;

namespace Focus.Analyzer.Sources.RabbitMq;

/// <summary>
/// The last <c>Prpcast.Info</c> this process heard (the silo's metadata consumer sets it): the block size the
/// job queues bind by and the channel count running jobs are checked against. Thread-safe.
/// </summary>
public sealed class RecorderFiber
{
    private volatile PrpcastInfo? _info;

    public RecorderFiber() : this(FiberLimits.Default) { }

    public RecorderFiber(RabbitMqSettings settings) : this(settings.FiberLimits) { }

    private RecorderFiber(FiberLimits limits) => Limits = limits;

    /// <summary>What a Prpcast.Info may announce here (<c>Focus:Live:MaxChannels</c>, <c>:MaxPrr</c>).</summary>
    public FiberLimits Limits { get; }
    private int _samplesPerTrace;

    public PrpcastInfo? Info => _info;

    public int BlockSize => _info is { BlockSize: > 0 } info ? (int)info.BlockSize : PrismaTopology.DefaultBlockSize;

    public double Prr => _info?.Prr ?? 0;

    /// <summary>Samples per channel in the last live chunk a job used here (CONTRACT §1 <c>num_samples_per_trace</c>); 0 before the first.</summary>
    public int SamplesPerTrace => Volatile.Read(ref _samplesPerTrace);

    /// <summary>Raised when a chunk's sample count differs from the previous one's (rarely: recorders keep it fixed).</summary>
    public event Action<int>? SamplesPerTraceChanged;

    /// <summary>Records the sample count of a chunk a job used.</summary>
    public void SawChunk(int samples)
    {
        if (samples <= 0 || Interlocked.Exchange(ref _samplesPerTrace, samples) == samples) return;
        SamplesPerTraceChanged?.Invoke(samples);
    }

    /// <summary>Raised after a message that changes the channel count, prr or block size.</summary>
    public event Action<PrpcastInfo>? Changed;

    /// <summary>Why <paramref name="info"/> cannot describe a fiber within <see cref="Limits"/>, or null when it can.</summary>
    public string? Problem(PrpcastInfo info) => Limits.Problem(info);

    public void Update(PrpcastInfo info)
    {
        var previous = _info;
        _info = info;
        if (previous is null || previous.NumberOfChannels != info.NumberOfChannels || previous.Prr != info.Prr
            || previous.BlockSize != info.BlockSize)
            Changed?.Invoke(info);
    }
}
