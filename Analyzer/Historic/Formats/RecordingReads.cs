using System.Numerics;
using PureHDF.Selections;
using PureHDF.VOL.Native;

namespace Focus.Analyzer.Historic.Formats;

/// <summary>The argument checks every reader's <see cref="IRecording.Read"/> makes, in one place.</summary>
internal static class RecordingReads
{
    /// <summary>Checks a read of <paramref name="rows"/> x <paramref name="channels"/> and returns its value count.</summary>
    public static int Check(RecordingHeader header, long firstRow, int rows, int firstChannel, int channels, Span<float> destination)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(firstRow);
        ArgumentOutOfRangeException.ThrowIfLessThan(rows, 0);
        ArgumentOutOfRangeException.ThrowIfLessThan(firstChannel, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(channels, 0);
        if (firstRow + rows > header.SampleCount)
            throw new ArgumentOutOfRangeException(nameof(rows), $"rows {firstRow}..{firstRow + rows - 1} run past the recording's {header.SampleCount}");
        if (firstChannel + channels - 1 > header.Channels)
            throw new ArgumentOutOfRangeException(nameof(channels), $"channels {firstChannel}..{firstChannel + channels - 1} run past the recording's {header.Channels}");
        var count = (long)rows * channels <= int.MaxValue ? rows * channels
            : throw new ArgumentOutOfRangeException(nameof(rows), $"{rows} rows of {channels} channels are more values than one read may hold");
        if (destination.Length < count) throw new ArgumentException($"destination holds {destination.Length} values; {count} needed", nameof(destination));
        return count;
    }

    /// <summary>
    /// A checked read of a 2-D <c>[time][locus]</c> HDF5 dataset through PureHDF's hyperslab: float32 samples straight
    /// into <paramref name="destination"/>, others (<typeparamref name="T"/>: the file's type) through
    /// <paramref name="scratch"/>, grown as needed and kept by the caller.
    /// </summary>
    public static void Hyperslab<T>(NativeDataset data, RecordingHeader header, long firstRow, int rows, int firstChannel, int channels,
        Span<float> destination, ref T[] scratch) where T : unmanaged, INumberBase<T>
    {
        var count = Check(header, firstRow, rows, firstChannel, channels, destination);
        if (count == 0) return;
        var selection = new HyperslabSelection(2, [(ulong)firstRow, (ulong)(firstChannel - 1)], [(ulong)rows, (ulong)channels]);
        if (header.SampleType == RawSampleType.Float32)
        {
            data.Read(destination[..count], selection, memoryDims: [(ulong)count]);
            return;
        }
        if (scratch.Length < count) scratch = new T[count];
        var raw = scratch.AsSpan(0, count);
        data.Read(raw, selection, memoryDims: [(ulong)count]);
        for (var i = 0; i < count; i++) destination[i] = float.CreateTruncating(raw[i]);
    }

    /// <summary>Nominal row times: <paramref name="startMicros"/> + row / prr, in µs.</summary>
    public static void NominalTimes(long startMicros, double prr, long firstRow, Span<long> destination)
    {
        for (var i = 0; i < destination.Length; i++) destination[i] = startMicros + (long)Math.Round((firstRow + i) * 1e6 / prr);
    }
}
