using Focus.Analyzer.Sources;

namespace Focus.IntegrationTests.Streaming;

/// <summary>
/// A deterministic live input for tests, paced by the wall clock: channel c holds a unit sine of
/// <c>tones[c]</c> Hz (integral, so its phase is exact at any sample index) or the constant 0.001*c.
/// Blocks of <c>blockSamples</c> become readable when their last sample is in the past; a backlog of
/// <c>backlog</c> samples is kept, as a real source would.
/// </summary>
internal sealed class ToneLiveSource(
    int prr, int channels, int blockSamples, int backlog, IReadOnlyDictionary<int, int>? tones = null) : ILiveSource
{
    private readonly IReadOnlyDictionary<int, int> _tones = tones ?? new Dictionary<int, int>();
    private int _opened;
    private int _openReaders;
    private long _pendingGap;
    private long _pendingStallTicks;

    public double Prr => prr;

    public int BlockSamples => blockSamples;

    /// <summary>Readers opened so far.</summary>
    public int Opened => Volatile.Read(ref _opened);

    /// <summary>Readers open now.</summary>
    public int OpenReaders => Volatile.Read(ref _openReaders);

    /// <summary>When set, every read fails with this exception.</summary>
    public Exception? FailWith { get; set; }

    /// <summary>The next block of every reader skips <paramref name="samples"/> samples (once).</summary>
    public void InjectGap(long samples) => Interlocked.Exchange(ref _pendingGap, samples);

    /// <summary>The next read of a reader first waits <paramref name="stall"/> (once): a host too busy to read.</summary>
    public void StallOnce(TimeSpan stall) => Interlocked.Exchange(ref _pendingStallTicks, stall.Ticks);

    public long NowSampleIndex() => DateTimeOffset.UtcNow.ToUnixTimeMilliseconds() * prr / 1000;

    public ILiveReader Open(int firstChannel, int lastChannel, long fromSampleIndex)
    {
        if (firstChannel < 1 || lastChannel > channels || lastChannel < firstChannel)
            throw new ArgumentOutOfRangeException(nameof(firstChannel), $"channels {firstChannel}..{lastChannel} not in 1..{channels}");
        Interlocked.Increment(ref _opened);
        Interlocked.Increment(ref _openReaders);
        var start = Math.Max(fromSampleIndex, NowSampleIndex() - backlog);
        return new Reader(this, firstChannel, lastChannel, start);
    }

    private float Value(int channel, long sampleIndex) =>
        _tones.TryGetValue(channel, out var hz)
            ? (float)Math.Sin(2 * Math.PI * hz * (sampleIndex % prr) / prr)
            : 0.001f * channel;

    private sealed class Reader(ToneLiveSource source, int first, int last, long next) : ILiveReader
    {
        private int _disposed;

        public async ValueTask<SampleBlock?> ReadAsync(CancellationToken cancellationToken)
        {
            ObjectDisposedException.ThrowIf(_disposed != 0, this);
            if (source.FailWith is { } failure) throw failure;
            next += Interlocked.Exchange(ref source._pendingGap, 0);
            if (Interlocked.Exchange(ref source._pendingStallTicks, 0) is var stall and > 0)
                await Task.Delay(TimeSpan.FromTicks(stall), cancellationToken);
            var count = source.ChannelCountOf(first, last);
            var blockSamples = source.BlockSamples;
            var end = next + blockSamples;
            var wait = end - source.NowSampleIndex();
            if (wait > 0)
                await Task.Delay(TimeSpan.FromSeconds(wait / source.Prr), cancellationToken);

            var samples = new float[blockSamples * count];
            var row = new float[count];
            for (var c = 0; c < count; c++) row[c] = source.Value(first + c, 0);
            for (var t = 0; t < blockSamples; t++)
            {
                row.CopyTo(samples.AsSpan(t * count));
                foreach (var (channel, _) in source._tones)
                    if (channel >= first && channel <= last)
                        samples[t * count + channel - first] = source.Value(channel, next + t);
            }
            var block = new SampleBlock(next, first, count, blockSamples, samples);
            next = end;
            return block;
        }

        public ValueTask DisposeAsync()
        {
            if (Interlocked.Exchange(ref _disposed, 1) == 0) Interlocked.Decrement(ref source._openReaders);
            return ValueTask.CompletedTask;
        }
    }

    private int ChannelCountOf(int first, int last) => last - first + 1;
}
