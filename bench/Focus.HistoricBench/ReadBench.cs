// Reading recordings from the page cache, as a playback reads them (RecordingBlockReader), against `cat FILE > /dev/null`
// on the same file in the same run (the physical limit here; its time less that of `cat /dev/null`, the cost of
// starting sh and cat, measured in the same run), and against PureHDF's own hyperslab read of the same blocks (how
// the service read before issue 18). Per round, interleaved: cat, a wide read (every channel) both ways, a narrow
// read (1 channel from the middle of the file's width) both ways, and the time to a 1-channel window's first block
// (open + first block, at a window starting mid-file). MB/s is the file's bytes over the time, whatever a read
// skipped. After one untimed pass of each, best of the rounds for throughput (the machines are shared: the best is
// the least disturbed), median for the first block. A PureHDF pass stops after 30 s (its MB/s is then of the part read).
//   dotnet bench/Focus.HistoricBench/bin/Release/net10.0/Focus.HistoricBench.dll reads FILE... [--rounds 5]
using System.Diagnostics;
using System.Globalization;
using Focus.Analyzer.Historic;
using Microsoft.Extensions.Logging.Abstractions;
using PureHDF;
using PureHDF.Selections;
using PureHDF.VOL.Native;

namespace Focus.HistoricBench;

internal static class ReadBench
{
    private static readonly TimeSpan PureHdfCap = TimeSpan.FromSeconds(30);

    public static int Run(string[] args)
    {
        var files = new List<string>();
        var rounds = 5;
        for (var i = 0; i < args.Length; i++)
        {
            if (args[i] == "--rounds") rounds = int.Parse(args[++i], CultureInfo.InvariantCulture);
            else files.Add(args[i]);
        }
        if (files.Count == 0)
        {
            Console.Error.WriteLine("usage: Focus.HistoricBench reads FILE... [--rounds N]");
            return 2;
        }

        var spawn = Enumerable.Range(0, 5).Min(_ => Cat("/dev/null"));
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"starting sh and cat: {spawn * 1000:F1} ms (taken off every cat time); {rounds} rounds"));
        Console.WriteLine("| file | storage | MB | cat MB/s | wide MB/s (÷ cat) | wide, PureHDF hyperslab | 1-ch MB/s (÷ cat) | 1-ch, PureHDF hyperslab | 1-ch × real time | 1-ch first block ms |");
        Console.WriteLine("|---|---|--:|--:|--:|--:|--:|--:|--:|--:|");
        foreach (var file in files)
        {
            RecordingHeader header;
            string storage;
            using (var recording = ProdmlRecording.Open(file))
            {
                header = recording.Header;
                storage = recording.Storage;
            }
            var bytes = new FileInfo(file).Length;
            var seconds = header.SampleCount / header.Prr;
            var middle = Math.Max(1, header.Channels / 2);
            double cat = double.MaxValue, wide = double.MaxValue, narrow = double.MaxValue, pureWide = 0, pureNarrow = 0;
            var firsts = new List<double>();
            // Into the page cache, and the read paths past JIT tiering.
            Cat(file);
            Play(file, header, 1, header.Channels, 0, long.MaxValue);
            Play(file, header, middle, 1, 0, long.MaxValue);
            for (var round = 0; round < rounds; round++)
            {
                cat = Math.Min(cat, Math.Max(1e-6, Cat(file) - spawn));
                wide = Math.Min(wide, Play(file, header, 1, header.Channels, 0, long.MaxValue));
                pureWide = Math.Max(pureWide, PureHdf(file, header, 1, header.Channels));
                narrow = Math.Min(narrow, Play(file, header, middle, 1, 0, long.MaxValue));
                pureNarrow = Math.Max(pureNarrow, PureHdf(file, header, middle, 1));
                var from = header.SampleCount / 2 + round * 977;
                firsts.Add(Play(file, header, middle, 1, from, 1));
            }
            firsts.Sort();
            double MBps(double s) => bytes / 1e6 / s;
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"| {Path.GetFileName(file)} ({header.Channels} ch × {header.SampleCount} {header.SampleType}) | {storage} | {bytes / 1e6:F0} | " +
                $"{MBps(cat):F0} | {MBps(wide):F0} ({cat / wide:F2}) | {pureWide / 1e6:F0} | {MBps(narrow):F0} ({cat / narrow:F2}) | {pureNarrow / 1e6:F0} | " +
                $"{seconds / narrow:F0} | {firsts[firsts.Count / 2] * 1000:F1} |"));
        }
        return 0;
    }

    /// <summary>Seconds <c>cat FILE &gt; /dev/null</c> takes.</summary>
    private static double Cat(string file)
    {
        var watch = Stopwatch.StartNew();
        using var cat = Process.Start(new ProcessStartInfo("/bin/sh", ["-c", "cat \"$0\" > /dev/null", file]))!;
        cat.WaitForExit();
        if (cat.ExitCode != 0) throw new InvalidOperationException($"cat {file} exited with {cat.ExitCode}");
        return watch.Elapsed.TotalSeconds;
    }

    /// <summary>Seconds to read <paramref name="blocks"/> blocks (or to the end) of channels as a playback does.</summary>
    private static double Play(string file, RecordingHeader header, int channelMin, int channelCount, long fromRow, long blocks)
    {
        var first = RecordingBlockReader.SampleIndexOf(header.Start, header.Prr);
        var plan = new HistoricPlan { FirstSample = first + fromRow, EndSample = first + header.SampleCount, Files = [file] };
        var watch = Stopwatch.StartNew();
        using var reader = new RecordingBlockReader(plan, header.Prr, channelMin, channelCount, first + header.SampleCount, NullLogger.Instance);
        var checksum = 0f;
        for (long b = 0; b < blocks && reader.Next(plan.FirstSample) is { } block; b++) checksum += block.Samples[0];
        var elapsed = watch.Elapsed.TotalSeconds;
        return float.IsNaN(checksum) ? elapsed : elapsed; // the checksum keeps the reads observable
    }

    /// <summary>
    /// File bytes per second (scaled by the rows read) of PureHDF's hyperslab read of the same blocks, as
    /// ProdmlRecording.Read did before issue 18: H5File.OpenRead, one HyperslabSelection per block.
    /// </summary>
    private static double PureHdf(string file, RecordingHeader header, int channelMin, int channelCount)
    {
        var rows = RecordingBlockReader.RowsPerBlock(channelCount);
        var watch = Stopwatch.StartNew();
        using var h5 = H5File.OpenRead(file);
        var data = (NativeDataset)h5.Get("/Acquisition/Raw[0]/RawData");
        var floats = new float[rows * channelCount];
        var shorts = new short[rows * channelCount];
        long row = 0;
        for (; row < header.SampleCount && watch.Elapsed < PureHdfCap; row += rows)
        {
            var n = (int)Math.Min(rows, header.SampleCount - row);
            var selection = new HyperslabSelection(2, [(ulong)row, (ulong)(channelMin - 1)], [(ulong)n, (ulong)channelCount]);
            if (header.SampleType == RawSampleType.Float32)
                data.Read(floats.AsSpan(0, n * channelCount), selection, memoryDims: [(ulong)(n * channelCount)]);
            else
            {
                data.Read(shorts.AsSpan(0, n * channelCount), selection, memoryDims: [(ulong)(n * channelCount)]);
                for (var i = 0; i < n * channelCount; i++) floats[i] = shorts[i];
            }
        }
        return new FileInfo(file).Length * (double)Math.Min(row, header.SampleCount) / header.SampleCount / watch.Elapsed.TotalSeconds;
    }
}
