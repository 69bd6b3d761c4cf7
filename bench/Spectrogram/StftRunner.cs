using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics.X86;
using Focus.Analyzer.Spectral;
using Focus.Analyzer.Spectral.Kernels;

namespace Focus.Bench.Spectrogram;

/// <summary>
/// Runs the yardstick workload (channel-major input x[C][T] → out[C][frames][bins]) through the SIMD engine's
/// kernels. Many channels: a work item is 16 channels x a chunk of frames; its samples are transposed to the
/// engine's time-major layout [t][16] once (each sample then serves nfft/hop frames), every frame is one
/// kernel call writing into a per-worker stage [16][frames of the chunk][bins], and each channel's rows, one
/// contiguous run of out, are streamed to memory with non-temporal stores (<see cref="StreamingStore"/>). Fewer than 16 channels (case C): 16 consecutive frames of a channel go
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
    private readonly SimdWidth _width;
    private readonly bool _stream;
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
        // Both paths read x from a 64-byte boundary, as the C implementations allocate theirs (mkl_malloc(..., 64)): frames
        // in the lanes read 16 rows a hop apart per tile (each row one cache line instead of two: 3-4 % of case C), the wide
        // path 64-byte rows of 16 channels. Copied once here, outside the timed passes.
        _x = AlignedArray.Allocate(x.Length, out _x0);
        x.CopyTo(_x, _x0);
        _out = output;
        _threads = threads;
        _framesAsLanes = cs.C < Lanes;
        _width = engine.MaxWidth;
        // FOCUS_BENCH_STREAM=0: the kernel writes its rows straight into out (the layout before streaming stores).
        _stream = Environment.GetEnvironmentVariable("FOCUS_BENCH_STREAM") != "0";
        int frames = cs.Frames;
        if (_framesAsLanes)
        {
            _framesPerItem = Lanes;
            _blocks = cs.C;
        }
        else
        {
            // Chunks of ~4096 time rows (256 KiB of [t][16] floats) and their stage (427 KiB for A) stay in L2 together;
            // each row is reused nfft/hop times. (8192 rows re-transposed fewer overlapping rows but ran ~1 ms slower on A.)
            _framesPerItem = Math.Max(1, (4096 - cs.Nfft) / cs.Hop + 1);
            _blocks = (cs.C + Lanes - 1) / Lanes;
        }
        _itemsPerBlock = (frames + _framesPerItem - 1) / _framesPerItem;
        _items = _blocks * _itemsPerBlock;
        int rows = _framesAsLanes ? cs.Nfft : (_framesPerItem - 1) * cs.Hop + cs.Nfft;
        // The wide path's buffers from 64-byte boundaries too: aligning the [t][16] buffer alone took ~6 ms off a pass of
        // case A (the kernel's first stages read every row of it four times).
        // Plain Hann window as the workload defines it: the unit-power window times sum(w^2) in power.
        float gain = (float)FftPlanCache.Shared.Get(cs.Nfft).Window.UnscaledSumOfSquares;
        _workers = new Worker[threads];
        for (int i = 0; i < threads; i++)
        {
            var kernels = new SimdSpectrumKernel[Lanes + 1];
            for (int lanes = 1; lanes <= Lanes; lanes++)
                kernels[lanes] = engine.CreateSimdSpectrum(new SpectrumShape(cs.Nfft, cs.K0, cs.Bins, lanes), gain);
            int so = 0;
            float[] buffer = AlignedArray.Allocate(rows * Lanes + Lanes, out int bo);
            float[] stage = _framesAsLanes ? [] : AlignedArray.Allocate(Lanes * _framesPerItem * cs.Bins, out so);
            // Case C at hop = nfft/4: the batches slide through the lanes (SlidingFrames, see FrameBatch).
            int slideLanes = (int)engine.MaxWidth;
            SlidingFrames? sliding = _framesAsLanes && cs.C == 1 && Lanes % slideLanes == 0 && SlidingFrames.Applies(cs.Nfft, cs.Hop, slideLanes)
                ? new SlidingFrames(FftPlanCache.Shared.Get(cs.Nfft), slideLanes, cs.K0, cs.Bins, gain) : null;
            _workers[i] = new Worker(kernels, buffer, bo, stage, so, sliding);
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

    private sealed record Worker(SimdSpectrumKernel[] Kernels, float[] Buffer, int BufferOffset, float[] Stage, int StageOffset, SlidingFrames? Sliding);

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
    private unsafe void ChannelBlock(Worker worker, int c0, int f0)
    {
        Case cs = _case;
        int lanes = Math.Min(Lanes, cs.C - c0), frames = cs.Frames, bins = cs.Bins;
        int f1 = Math.Min(frames, f0 + _framesPerItem);
        int t0 = f0 * cs.Hop, rows = (f1 - 1 - f0) * cs.Hop + cs.Nfft;
        float[] buffer = worker.Buffer;
        int bo = worker.BufferOffset, so = worker.StageOffset;
        TransposeIn(ref _x[_x0 + (long)c0 * cs.T + t0], cs.T, lanes, rows, ref buffer[bo]);
        SimdSpectrumKernel kernel = worker.Kernels[lanes];
        if (!_stream)
        {
            for (int f = f0; f < f1; f++)
                kernel.Compute(buffer.AsSpan(bo + (f - f0) * cs.Hop * Lanes), Lanes, _out.AsSpan((c0 * frames + f) * bins), frames * bins);
            return;
        }
        // Writing the tiles straight into out touched 16 rows ~1 MB apart per tile, and every line was read from
        // memory before being overwritten. The stage stays in cache; each channel's rows of this chunk are one
        // contiguous run of out, streamed in whole lines (measured: ~5 ms of ~90 per pass of case A; copying
        // with normal stores instead was slower than writing straight into out).
        float[] stage = worker.Stage;
        int run = (f1 - f0) * bins;
        for (int f = f0; f < f1; f++)
            kernel.Compute(buffer.AsSpan(bo + (f - f0) * cs.Hop * Lanes), Lanes, stage.AsSpan(so + (f - f0) * bins), _framesPerItem * bins);
        fixed (float* o = _out, st = stage)
            for (int l = 0; l < lanes; l++)
                StreamingStore.Copy(ref st[so + (nint)l * _framesPerItem * bins], ref o[((long)(c0 + l) * frames + f0) * bins], run, _width);
        StreamingStore.Fence();
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
    /// dst[r*16 + l] = src[l*srcStride + r] for l &lt; lanes, r &lt; rows: in-register tiles of the engine's width where
    /// all 16 lanes are used (16x16 with AVX-512, four 8x8 with AVX, so that simd:Vector256 runs as on an AVX2
    /// machine), scalar otherwise.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private unsafe void TransposeIn(ref float src, int srcStride, int lanes, int rows, ref float dst)
    {
        int r = 0;
        if (lanes == Lanes && _width >= SimdWidth.Vector512 && Avx512F.IsSupported)
            for (; r + Lanes <= rows; r += Lanes)
            {
                Prefetch(ref Unsafe.Add(ref src, r), srcStride);
                Transpose.Tile16x16(ref Unsafe.Add(ref src, r), srcStride, ref Unsafe.Add(ref dst, r * Lanes), Lanes);
            }
        else if (lanes == Lanes && _width >= SimdWidth.Vector256 && Avx.IsSupported)
            for (; r + Lanes <= rows; r += Lanes)
            {
                Prefetch(ref Unsafe.Add(ref src, r), srcStride);
                for (int l = 0; l < Lanes; l += 8)
                    for (int h = 0; h < Lanes; h += 8)
                        Transpose.Tile8x8(ref Unsafe.Add(ref src, (nint)l * srcStride + r + h), srcStride,
                            ref Unsafe.Add(ref dst, (r + h) * Lanes + l), Lanes);
            }
        for (int l = 0; l < lanes; l++)
        {
            ref float s = ref Unsafe.Add(ref src, (nint)l * srcStride);
            for (int i = r; i < rows; i++)
                Unsafe.Add(ref dst, i * Lanes + l) = Unsafe.Add(ref s, i);
        }
    }

    /// <summary>
    /// The line 512 bytes ahead in each of the 16 channels a tile reads: 16 concurrent streams are more than the
    /// hardware prefetcher follows well (~2-3 ms of a pass of case A; 256 bytes ahead did as well, 768 worse).
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static unsafe void Prefetch(ref float src, int srcStride)
    {
        if (!Sse.IsSupported) return;
        for (int l = 0; l < Lanes; l++)
            Sse.Prefetch0(Unsafe.AsPointer(ref Unsafe.Add(ref src, (nint)l * srcStride + 128)));
    }
}
