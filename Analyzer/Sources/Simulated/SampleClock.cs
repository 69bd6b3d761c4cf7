namespace Focus.Analyzer.Sources.Simulated;

/// <summary>
/// Sample index n of a fiber at <see cref="Prr"/> is the instant n / prr after the Unix epoch (as in
/// <see cref="SampleBlock"/>). Decimal arithmetic keeps today's indices (~3.5e12 at 2000 Hz) exact to the tick,
/// where doubles would be off by a few hundred nanoseconds.
/// </summary>
public readonly record struct SampleClock(double Prr)
{
    const decimal TicksPerSecond = TimeSpan.TicksPerSecond;

    /// <summary>The newest sample that exists at <paramref name="time"/> (its instant is at or before it).</summary>
    public long IndexAt(DateTimeOffset time) =>
        (long)decimal.Floor((time.UtcTicks - DateTimeOffset.UnixEpoch.UtcTicks) * (decimal)Prr / TicksPerSecond);

    /// <summary>The instant of sample <paramref name="sampleIndex"/>, rounded up to the tick.</summary>
    public DateTimeOffset TimeOf(long sampleIndex) =>
        DateTimeOffset.UnixEpoch.AddTicks((long)decimal.Ceiling(sampleIndex * TicksPerSecond / (decimal)Prr));
}
