using Focus.Analyzer.Pipeline;
using Focus.Analyzer.Spectral;

namespace Focus.UnitTests.Historic;

/// <summary>
/// The slices of one playback compute at the same time, each on a thread of its own, never one after the other on the
/// run's loop: before, a slice whose previous block was already played started its next block inline on the loop,
/// which then computed every slice in turn (1.2 of 2 cores used; docs/PERFORMANCE.md, historic playback).
/// </summary>
public sealed class SliceConcurrencyTests
{
    [Fact]
    public async Task Two_slices_compute_their_first_block_at_the_same_time()
    {
        using var harness = new PlaybackHarness(channels: 32, recorded: TimeSpan.FromSeconds(3));
        var spec = harness.Spec(hop: 64, windowSamples: 2000);
        var rendezvous = new Rendezvous(parties: 2, wait: TimeSpan.FromSeconds(20));
        await using var playback = harness.Playback(spec, new RendezvousEngine(SpectrogramEngines.Create("simd"), rendezvous),
            new ComputeGate(2), maxSlices: 2);
        Assert.Equal(2, playback.Slices);

        var lines = await ParallelPlaybackTests.PlayEveryStream(playback, spec.StreamAmount);

        Assert.All(lines, stream => Assert.Equal(Enumerable.Range(0, 32), stream.Select(l => l.Row)));
        Assert.Equal(2, rendezvous.Arrived);
        Assert.True(rendezvous.Met, "each slice's first compute waited for the other in vain: the slices computed one after the other");
    }

    /// <summary>The first compute of each of <c>parties</c> kernels waits (at most <c>wait</c>) until all are computing.</summary>
    private sealed class Rendezvous(int parties, TimeSpan wait)
    {
        private int _arrived;
        private int _missed;

        public int Arrived => Volatile.Read(ref _arrived);

        public bool Met => Arrived == parties && Volatile.Read(ref _missed) == 0;

        public void Arrive()
        {
            Interlocked.Increment(ref _arrived);
            if (!SpinWait.SpinUntil(() => Volatile.Read(ref _arrived) >= parties, wait)) Interlocked.Increment(ref _missed);
        }
    }

    private sealed class RendezvousEngine(ISpectrogramEngine inner, Rendezvous rendezvous) : ISpectrogramEngine
    {
        public string Name => inner.Name;

        public ISpectrumKernel CreateSpectrum(SpectrumShape shape) => new Kernel(inner.CreateSpectrum(shape), rendezvous);

        public IWaterfallKernel CreateWaterfall(WaterfallShape shape) => inner.CreateWaterfall(shape);

        /// <summary>One frame at a time (the interface's defaults), the first one after the rendezvous.</summary>
        private sealed class Kernel(ISpectrumKernel inner, Rendezvous rendezvous) : ISpectrumKernel
        {
            private bool _arrived;

            public SpectrumShape Shape => inner.Shape;

            public void Compute(ReadOnlySpan<float> frame, Span<float> destination)
            {
                if (!_arrived)
                {
                    _arrived = true;
                    rendezvous.Arrive();
                }
                inner.Compute(frame, destination);
            }
        }
    }
}
