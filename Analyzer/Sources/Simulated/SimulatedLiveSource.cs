namespace Focus.Analyzer.Sources.Simulated;

/// <summary>
/// The built-in live source: reads a <see cref="SimulatedFiber"/> at wall-clock pace. A block is handed out no
/// earlier than the instant of its last sample, as if an interrogator had just measured it. Because the fiber is
/// deterministic the source can also replay the last <see cref="SimulatorOptions.History"/>, like a recorder's
/// bounded backlog: a new reader gets its first blocks at once. Thread-safe; each reader is single-consumer.
/// </summary>
public sealed class SimulatedLiveSource : ILiveSource
{
    readonly TimeProvider clock;

    public SimulatedLiveSource(SimulatorOptions options, TimeProvider clock)
    {
        this.clock = clock;
        Fiber = new SimulatedFiber(options); // validates the options
        SampleClock = Fiber.Clock;
        ChunkSamples = (int)Math.Max(1, Math.Round(options.ChunkDuration.TotalSeconds * Fiber.Prr, MidpointRounding.AwayFromZero));
        HistorySamples = (long)Math.Round(options.History.TotalSeconds * Fiber.Prr, MidpointRounding.AwayFromZero);
        Metadata = new SimulatedFiberMetadata(Fiber.Prr, Fiber.Channels, Fiber.Dx, Fiber.FiberStartMeters,
            Fiber.FiberLengthMeters, options.SwVersion, options.FiberDescription, options.InterrogatorId,
            options.BlockSize, ChunkSamples);
    }

    public SimulatedFiber Fiber { get; }
    public double Prr => Fiber.Prr;
    public SampleClock SampleClock { get; }

    /// <summary>Samples per channel in each block a reader returns.</summary>
    public int ChunkSamples { get; }

    /// <summary>How many samples back from the newest one a reader can start (or fall behind before it skips).</summary>
    public long HistorySamples { get; }

    public SimulatedFiberMetadata Metadata { get; }

    /// <summary>The newest sample that exists now.</summary>
    public long NewestSampleIndex() => SampleClock.IndexAt(clock.GetUtcNow());

    /// <summary>The oldest sample a reader can still get now.</summary>
    public long OldestSampleIndex() => NewestSampleIndex() + 1 - HistorySamples;

    /// <inheritdoc />
    /// <remarks>
    /// Blocks hold <see cref="ChunkSamples"/> samples and follow each other without gaps, starting at
    /// <c>max(fromSampleIndex, oldest)</c>. A reader that falls more than the history behind skips ahead to the oldest
    /// sample still kept, as a bounded live queue drops its head; the jump in <see cref="SampleBlock.FirstSampleIndex"/>
    /// shows it. A returned <see cref="SampleBlock"/> shares the reader's buffer: it stays valid only until the next
    /// <see cref="ILiveReader.ReadAsync"/> call on that reader.
    /// </remarks>
    public ILiveReader Open(int firstChannel, int lastChannel, long fromSampleIndex)
    {
        if (firstChannel < 1 || lastChannel < firstChannel || lastChannel > Fiber.Channels)
            throw new ArgumentOutOfRangeException(nameof(lastChannel),
                $"channels {firstChannel}..{lastChannel} are not a range of the fiber's 1..{Fiber.Channels}");
        return new SimulatedLiveReader(this, clock, firstChannel, lastChannel - firstChannel + 1, fromSampleIndex);
    }
}
