using System.Buffers;
using Focus.Analyzer.Pipeline;
using Focus.Analyzer.Spectral;
using Focus.Analyzer.Streaming;

namespace Focus.Analyzer.Historic;

/// <summary>
/// How a historic job's channels are cut into slices that compute in parallel (issue 15): consecutive channels, each
/// slice whole blocks of <see cref="ChannelsPerBlock"/> from the job's first channel, the last one also the channels
/// left over. So every channel runs in the same vector block (and the same tail block) as in one kernel over all
/// channels, no slice is narrower than a vector (where vectorised loops such as WATERFALL's fall back to scalar code
/// for a short remainder), and its lines are the same bits. A slice has its own frame assembler and kernel, made
/// through <see cref="ISpectrogramEngine"/>.
/// </summary>
internal static class HistoricSlices
{
    /// <summary>The widest vector block the engine batches channels in (Vector512 of float).</summary>
    public const int ChannelsPerBlock = 16;

    /// <summary>
    /// At most <paramref name="maxSlices"/> slices of <paramref name="channels"/> channels: (first channel offset, channels),
    /// the whole blocks of <see cref="ChannelsPerBlock"/> spread evenly, the last slice also taking the channels left over.
    /// </summary>
    public static (int Offset, int Channels)[] Plan(int channels, int maxSlices)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(channels, 1);
        var blocks = Math.Max(1, channels / ChannelsPerBlock);
        var count = Math.Clamp(maxSlices, 1, blocks);
        var slices = new (int, int)[count];
        for (var i = 0; i < count; i++)
        {
            var first = (int)((long)i * blocks / count) * ChannelsPerBlock;
            var end = i == count - 1 ? channels : (int)((long)(i + 1) * blocks / count) * ChannelsPerBlock;
            slices[i] = (first, end - first);
        }
        return slices;
    }

    /// <summary>One kernel per slice of <paramref name="spec"/>'s channels (the job's spec narrowed to the slice).</summary>
    public static LineKernel[] CreateKernels(ISpectrogramEngine engine, PipelineSpec spec, (int Offset, int Channels)[] plan) =>
        [.. plan.Select(p => LineKernel.Create(engine, spec with { ChannelMin = spec.ChannelMin + p.Offset, ChannelMax = spec.ChannelMin + p.Offset + p.Channels - 1 }))];
}

/// <summary>
/// One slice's state within a run: the frames of its channels and its kernel. Spectral views (a stream per channel)
/// batch and send the slice's own streams (<see cref="Batch"/>, <see cref="Pending"/> lines not sent yet); WATERFALL's
/// one line of every channel is gathered by the run. Used by one task at a time.
/// </summary>
internal sealed class ChannelSlice
{
    /// <summary>Values a turn of the compute gate computes at most (about 1 MiB), as any pipeline's turn.</summary>
    private const int MaxTurnValues = 256 * 1024;

    public ChannelSlice(PipelineSpec spec, int offset, int channels, LineKernel kernel, ArrayPool<byte>? linePool)
    {
        Offset = offset;
        Channels = channels;
        Kernel = kernel;
        Frames = new FrameAssembler(spec.ChannelMin + offset, channels, kernel.FrameSamples, spec.Hop, spec.Historic!.FirstSample);
        Line = new float[kernel.OutputLength * kernel.LinesPerBatch];
        Batch = spec.IsWaterfall ? null : new LineBatch(spec.StreamAmount, spec.ValuesPerLine, spec.NumericJobId, linePool);
        LinesPerTurn = Math.Max(1, MaxTurnValues / Math.Max(1, kernel.OutputLength));
    }

    /// <summary>Lines one turn of the gate computes at most.</summary>
    public int LinesPerTurn { get; }

    /// <summary>Lines batched and not sent yet (spectral views).</summary>
    public int Pending { get; set; }

    /// <summary>First channel of the slice, from the job's first (0-based); for spectral views also its first stream.</summary>
    public int Offset { get; }

    public int Channels { get; }

    public LineKernel Kernel { get; }

    public FrameAssembler Frames { get; }

    /// <summary>
    /// Lines of the slice's channels (spectral views): one, or <see cref="LineKernel.LinesPerBatch"/> side by side
    /// for a slice narrower than the vector lanes, whose consecutive frames are computed together.
    /// </summary>
    public float[] Line { get; }

    /// <summary>The slice's streams' messages (spectral views only).</summary>
    public LineBatch? Batch { get; }
}
