using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics.X86;
using Focus.Analyzer.Spectral;
using Focus.Analyzer.Spectral.Kernels;

namespace Focus.Bench.Spectrogram;

/// <summary>
/// Runs the yardstick workload (channel-major input x[C][T] → out[C][frames][bins]) through the SIMD engine's
/// kernels. Many channels: a work item is 16 channels x a chunk of frames; its samples are transposed to the
/// engine's time-major layout [t][16] once (each sample then serves nfft/hop frames), and every frame is one
/// kernel call writing straight into out. Fewer than 16 channels (case C): 16 consecutive frames of a channel go
/// to the engine's frame-lane path (<see cref="SimdSpectrumKernel.ComputeFrames"/>), which gathers them as the 16 lanes. Work items are spread over the threads with an atomic counter.
/// Everything is allocated in the constructor; <see cref="Run"/> allocates nothing.
/// </summary>
internal sealed class StftRunner
{
    private const int Lanes = 16;
    private readonly Case _case;
    private readonly float[] _x;
    private readonly float[] _out;
    private readonly int _threads;
    private readonly bool _framesAsLanes;
    private readonly int _framesPerItem, _itemsPerBlock, _blocks, _items;
    private readonly Worker[] _workers;
    private readonly object _gate = new();
    private int _generation; // Run's count; a worker starts a pass when it changes
    private int _pending;    // workers still in the current pass
    private int _next;
    private readonly int _x0; // where the input starts in _x
    // How long an idle worker spins before blocking: as OpenMP's default wait
    // policy does for the C implementations (libgomp spins ~300k iterations), so that back-to-back passes do not pay
    // a futex wake-up per pass (tens of microseconds against a 3 ms pass of case C at 2 threads).
    private static readonly long SpinTicks = System.Diagnostics.Stopwatch.Frequency / 1000;

    public StftRunner(Case cs, float[] x, float[] output, int threads, SimdSpectrogramEngine engine)
    {
        _case = cs;
        _x = x;
        if (cs.C < Lanes)
        {
            // Frames in the lanes read 16 rows a hop (4 KiB for case C) apart per tile: with the input 64-byte aligned, as
            // the C implementations allocate theirs (mkl_malloc(..., 64)), each row of a tile is one cache line instead
            // of two (measured 3-4 % of case C). Copied once here, outside the timed passes.
            float[] aligned = GC.AllocateUninitializedArray<float>(x.Length + 16, pinned: true);
            unsafe { _x0 = (int)((64 - ((nint)Unsafe.AsPointer(ref aligned[0]) & 63)) & 63) / sizeof(float); }
            x.CopyTo(aligned, _x0);
            _x = aligned;
        }
        _out = output;
        _threads = threads;
        _framesAsLanes = cs.C < Lanes;
        int frames = cs.Frames;
        if (_framesAsLanes)
        {
            _framesPerItem = Lanes;
            _blocks = cs.C;
        }
        else
        {
            // Chunks of ~8192 time rows (512 KiB of [t][16] floats): stays in L2, each row reused nfft/hop times.
            _framesPerItem = Math.Max(1, (8192 - cs.Nfft) / cs.Hop + 1);
            _blocks = (cs.C + Lanes - 1) / Lanes;
        }
        _itemsPerBlock = (frames + _framesPerItem - 1) / _framesPerItem;
        _items = _blocks * _itemsPerBlock;
        int rows = _framesAsLanes ? cs.Nfft : (_framesPerItem - 1) * cs.Hop + cs.Nfft;
        // Plain Hann window as the workload defines it: the unit-power window times sum(w^2) in power.
        float gain = (float)FftPlanCache.Shared.Get(cs.Nfft).Window.UnscaledSumOfSquares;
        _workers = new Worker[threads];
        for (int i = 0; i < threads; i++)
        {
            var kernels = new SimdSpectrumKernel[Lanes + 1];
            for (int lanes = 1; lanes <= Lanes; lanes++)
                kernels[lanes] = engine.CreateSimdSpectrum(new SpectrumShape(cs.Nfft, cs.K0, cs.Bins, lanes), gain);
            // Case C at hop = nfft/4: the batches slide through the lanes (SlidingFrames, see FrameBatch).
            int slideLanes = (int)engine.MaxWidth;
            SlidingFrames? sliding = _framesAsLanes && cs.C == 1 && Lanes % slideLanes == 0 && SlidingFrames.Applies(cs.Nfft, cs.Hop, slideLanes)
                ? new SlidingFrames(FftPlanCache.Shared.Get(cs.Nfft), slideLanes, cs.K0, cs.Bins, gain) : null;
            _workers[i] = new Worker(kernels, GC.AllocateUninitializedArray<float>(rows * Lanes + Lanes, pinned: true), sliding);
        }
        // Threads 1..n-1 are started once and wait for each Run; the calling thread is worker 0. (Parallel.For
        // often ran both replicas on the calling thread when the pool thread started late on a loaded machine.)
        for (int i = 1; i < threads; i++)
        {
            Worker worker = _workers[i];
            new Thread(() =>
            {
                for (int seen = 0; ; seen++)
                {
                    WaitForPass(seen);
                    Work(worker);
                    Interlocked.Decrement(ref _pending);
                }
            }) { IsBackground = true, Name = $"stft-{i}" }.Start();
        }
    }

    private sealed record Worker(SimdSpectrumKernel[] Kernels, float[] Buffer, SlidingFrames? Sliding);

    public void Run()
    {
        _next = -1;
        _pending = _threads - 1;
        lock (_gate)
        {
            Interlocked.Increment(ref _generation);
            Monitor.PulseAll(_gate);
        }
        Work(_workers[0]);
        var spin = new SpinWait(); // the other workers' last items (at most one each); yields, never sleeps
        while (Volatile.Read(ref _pending) != 0) spin.SpinOnce(sleep1Threshold: -1);
    }

    /// <summary>A worker's wait for pass <paramref name="seen"/> + 1: spins for <see cref="SpinTicks"/>, then blocks on the gate.</summary>
    private void WaitForPass(int seen)
    {
        long start = System.Diagnostics.Stopwatch.GetTimestamp();
        while (Volatile.Read(ref _generation) == seen)
        {
            if (System.Diagnostics.Stopwatch.GetTimestamp() - start > SpinTicks)
            {
                lock (_gate)
                    while (Volatile.Read(ref _generation) == seen) Monitor.Wait(_gate);
                return;
            }
            Thread.SpinWait(8);
        }
    }

    private void Work(Worker worker)
    {
        int item;
        while ((item = Interlocked.Increment(ref _next)) < _items)
        {
            int block = item / _itemsPerBlock, chunk = item % _itemsPerBlock;
            // Frames: the partial last batch (16 frames computed for fewer, or the general gather: the slowest item)
            // first, so that no thread ends the pass on it while the other waits.
            if (_framesAsLanes) FrameBatch(worker, block, (chunk + _itemsPerBlock - 1) % _itemsPerBlock * Lanes);
            else ChannelBlock(worker, block * Lanes, chunk * _framesPerItem);
        }
    }

    /// <summary>Channels c0..c0+15 (fewer at the end), frames f0.. of this chunk.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private void ChannelBlock(Worker worker, int c0, int f0)
    {
        Case cs = _case;
        int lanes = Math.Min(Lanes, cs.C - c0), frames = cs.Frames, bins = cs.Bins;
        int f1 = Math.Min(frames, f0 + _framesPerItem);
        int t0 = f0 * cs.Hop, rows = (f1 - 1 - f0) * cs.Hop + cs.Nfft;
        float[] buffer = worker.Buffer;
        TransposeIn(ref _x[(long)c0 * cs.T + t0], cs.T, lanes, rows, ref buffer[0]);
        SimdSpectrumKernel kernel = worker.Kernels[lanes];
        int outStride = frames * bins;
        for (int f = f0; f < f1; f++)
            kernel.Compute(buffer.AsSpan((f - f0) * cs.Hop * Lanes), Lanes, _out.AsSpan((c0 * frames + f) * bins), outStride);
    }

    /// <summary>
    /// Frames f0..f0+15 (fewer at the end) of one channel: the engine's frame-lane path puts them in the 16 lanes. At hop =
    /// nfft/4 (the workload's 75 % overlap) they go to <see cref="SlidingFrames"/> instead: the same transform, same bits,
    /// without gathering the frames' [nfft][lanes] block.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private void FrameBatch(Worker worker, int channel, int f0)
    {
        Case cs = _case;
        int count = Math.Min(Lanes, cs.Frames - f0), bins = cs.Bins;
        long start = (long)channel * cs.T + (long)f0 * cs.Hop;
        if (worker.Sliding is { } sliding && cs.Frames >= Lanes)
        {
            ReadOnlySpan<float> samples = _x.AsSpan(_x0 + (int)(channel * (long)cs.T), cs.T);
            if (count == Lanes)
            {
                for (int f = f0; f < f0 + Lanes; f += sliding.Lanes)
                    sliding.Compute(samples, cs.Hop, f, _out.AsSpan((channel * cs.Frames + f) * bins, sliding.Lanes * bins), bins);
                return;
            }
            // The partial last batch: the channel's last 16 frames slide into the (otherwise unused) buffer, and only those
            // of this batch are copied out (the others were written by the batch before; recomputing them is cheaper than
            // the general gather of a partial block).
            int last = cs.Frames - Lanes;
            Span<float> stage = worker.Buffer.AsSpan(0, Lanes * bins);
            for (int f = 0; f < Lanes; f += sliding.Lanes)
                sliding.Compute(samples, cs.Hop, last + f, stage.Slice(f * bins, sliding.Lanes * bins), bins);
            stage.Slice((f0 - last) * bins, count * bins).CopyTo(_out.AsSpan((channel * cs.Frames + f0) * bins, count * bins));
            return;
        }
        worker.Kernels[1].ComputeFrames(_x.AsSpan(_x0 + (int)start, (count - 1) * cs.Hop + cs.Nfft), cs.Hop, count,
            _out.AsSpan((channel * cs.Frames + f0) * bins, count * bins));
    }

    /// <summary>
    /// dst[r*16 + l] = src[l*srcStride + r] for l &lt; lanes, r &lt; rows: 16x16 in-register tiles where AVX-512
    /// is available and all 16 lanes are used, scalar otherwise.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void TransposeIn(ref float src, int srcStride, int lanes, int rows, ref float dst)
    {
        int r = 0;
        if (lanes == Lanes && Avx512F.IsSupported)
            for (; r + Lanes <= rows; r += Lanes)
                Transpose.Tile16x16(ref Unsafe.Add(ref src, r), srcStride, ref Unsafe.Add(ref dst, r * Lanes), Lanes);
        for (int l = 0; l < lanes; l++)
        {
            ref float s = ref Unsafe.Add(ref src, (nint)l * srcStride);
            for (int i = r; i < rows; i++)
                Unsafe.Add(ref dst, i * Lanes + l) = Unsafe.Add(ref s, i);
        }
    }
}
