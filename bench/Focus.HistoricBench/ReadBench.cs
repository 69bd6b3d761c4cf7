// Reading recordings from the page cache, as a playback reads them (RecordingBlockReader), against `cat file > /dev/null`
// on the same file in the same run (the physical limit here). Per round, interleaved: cat, a wide read (every
// channel), a narrow read (1 channel from the middle of the file's width), and the time to a 1-channel window's first
// block (open + first block, at a window starting mid-file). MB/s is the file's bytes over the time, whatever a read
// skipped. After one untimed pass of each, best of the rounds for throughput, median for the first block.
//   dotnet bench/Focus.HistoricBench/bin/Release/net10.0/Focus.HistoricBench.dll reads FILE... [--rounds 5]
using System.Diagnostics;
using System.Globalization;
using Focus.Analyzer.Historic;
using Microsoft.Extensions.Logging.Abstractions;

namespace Focus.HistoricBench;

internal static class ReadBench
{
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

        Console.WriteLine("| file | storage | MB | cat MB/s | wide MB/s | wide / cat | 1-ch MB/s | 1-ch / cat | 1-ch × real time | 1-ch first block ms (median) |");
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
            double cat = double.MaxValue, wide = double.MaxValue, narrow = double.MaxValue;
            var firsts = new List<double>();
            Cat(file); // into the page cache, and the read paths past JIT tiering
            Play(file, header, 1, header.Channels, 0, long.MaxValue);
            Play(file, header, middle, 1, 0, long.MaxValue);
            for (var round = 0; round < rounds; round++)
            {
                cat = Math.Min(cat, Cat(file));
                wide = Math.Min(wide, Play(file, header, 1, header.Channels, 0, long.MaxValue));
                narrow = Math.Min(narrow, Play(file, header, middle, 1, 0, long.MaxValue));
                var from = header.SampleCount / 2 + round * 977;
                firsts.Add(Play(file, header, middle, 1, from, 1));
            }
            firsts.Sort();
            double MBps(double s) => bytes / 1e6 / s;
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"| {Path.GetFileName(file)} ({header.Channels} ch × {header.SampleCount} {header.SampleType}) | {storage} | {bytes / 1e6:F0} | " +
                $"{MBps(cat):F0} | {MBps(wide):F0} | {cat / wide:F2} | {MBps(narrow):F0} | {cat / narrow:F2} | {seconds / narrow:F0} | {firsts[firsts.Count / 2] * 1000:F1} |"));
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
}
