using Focus.Analyzer.Sources;
using Microsoft.Extensions.Logging;

namespace Focus.Analyzer.Historic;

/// <summary>
/// Reads a historic plan's recordings in time order as <see cref="SampleBlock"/>s of the job's channels on the
/// epoch sample grid (a file's first sample maps to <c>round(start * prr)</c>), limited to the samples the
/// window's frames need. Files are opened one at a time. A file missing, unreadable, at another prr or with too
/// few channels is skipped with a logged reason (a hole); storage whose root is gone throws
/// <see cref="StorageUnavailableException"/>. Each block comes with its rows' recorded times (<see cref="Times"/>).
/// Not thread-safe; blocks share one buffer.
/// </summary>
internal sealed partial class RecordingBlockReader(
    HistoricPlan plan, double prr, int channelMin, int channelCount, long needEnd, ILogger logger) : IDisposable
{
    /// <summary>Values one block holds at most (4 MiB of float32), whatever the hop or the channel count.</summary>
    public const int MaxBlockValues = 1 << 20;

    private readonly int _blockRows = RowsPerBlock(channelCount);
    private readonly float[] _buffer = new float[RowsPerBlock(channelCount) * channelCount];
    private readonly long[] _times = new long[RowsPerBlock(channelCount)];
    private long _skipTo = long.MinValue;
    private int _timeCount;
    private int _fileIndex = -1;
    private IRecording? _file;
    private long _fileFirstSample;
    private long _row; // next row of _file to read

    /// <summary>The recorded times (UTC epoch µs, <c>RawDataTime</c>) of the last block's rows.</summary>
    public ReadOnlySpan<long> Times => _times.AsSpan(0, _timeCount);

    /// <summary>
    /// Rows a block holds for <paramref name="channels"/> channels: as many as fit <see cref="MaxBlockValues"/>, at
    /// least one, at most 4096. A frame longer than a block is gathered from several (the frame assembler keeps it).
    /// </summary>
    public static int RowsPerBlock(int channels) => Math.Clamp(MaxBlockValues / Math.Max(1, channels), 1, 4096);

    /// <summary>
    /// The next block, from grid sample <paramref name="needFrom"/> on (rows before it serve no frame: a hop longer
    /// than a frame skips them unread), or null at the end of the window's needs.
    /// </summary>
    public SampleBlock? Next(long needFrom)
    {
        _skipTo = Math.Max(_skipTo, needFrom);
        while (true)
        {
            if (_file is null && !OpenNext()) return null;
            var file = _file!;
            _row = Math.Max(_row, _skipTo - _fileFirstSample);
            var from = _fileFirstSample + _row;
            var remaining = Math.Min(file.Header.SampleCount - _row, needEnd - from);
            if (remaining <= 0)
            {
                CloseFile();
                continue;
            }
            var rows = (int)Math.Min(_blockRows, remaining);
            try
            {
                file.Read(_row, rows, channelMin, channelCount, _buffer);
                file.ReadTimes(_row, _times.AsSpan(0, rows));
                _timeCount = rows;
            }
            catch (Exception ex) when (ex is IOException or UnauthorizedAccessException || ex.GetType().Namespace?.StartsWith("PureHDF", StringComparison.Ordinal) == true)
            {
                CheckStorage();
                throw new StorageUnavailableException($"reading {file.Header.Path} failed: {ex.Message}", ex);
            }
            _row += rows;
            return new SampleBlock(from, channelMin, channelCount, rows, _buffer);
        }
    }

    public void Dispose() => CloseFile();

    private bool OpenNext()
    {
        while (++_fileIndex < plan.Files.Count)
        {
            var path = plan.Files[_fileIndex];
            CheckStorage();
            IRecording recording;
            try
            {
                recording = Formats.RecordingFormats.Open(path);
            }
            catch (Exception ex) when (ex is RecordingFormatException or IOException or UnauthorizedAccessException)
            {
                LogHole(path, ex.Message);
                continue;
            }
            var h = recording.Header;
            string? unusable = null;
            if (Math.Abs(h.Prr - prr) > 1e-9 * prr) unusable = $"its prr {h.Prr} Hz is not the job's {prr} Hz";
            else if (h.Channels < channelMin + channelCount - 1) unusable = $"it holds {h.Channels} channels, the job needs up to {channelMin + channelCount - 1}";
            if (unusable is not null)
            {
                recording.Dispose();
                LogHole(path, unusable);
                continue;
            }
            _file = recording;
            _fileFirstSample = SampleIndexOf(h.Start, prr);
            // Skip rows before the first sample the window (or the next frame) needs.
            _row = Math.Max(0, Math.Max(plan.FirstSample, _skipTo) - _fileFirstSample);
            return true;
        }
        return false;
    }

    private void CheckStorage()
    {
        if (plan.StorageRoot is { } root && !Directory.Exists(root))
            throw new StorageUnavailableException($"the storage folder {root} is gone");
    }

    private void CloseFile()
    {
        _file?.Dispose();
        _file = null;
    }

    /// <summary>The epoch-grid sample nearest <paramref name="time"/>: <c>round(t * prr)</c>, exact in decimal.</summary>
    internal static long SampleIndexOf(DateTimeOffset time, double prr) =>
        (long)decimal.Round((time.UtcTicks - DateTimeOffset.UnixEpoch.UtcTicks) * (decimal)prr / TimeSpan.TicksPerSecond, MidpointRounding.AwayFromZero);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Recording {Path} is a hole in the playback: {Reason}")]
    private partial void LogHole(string path, string reason);
}

/// <summary>The recordings' storage went away during playback: the job fails with the reason.</summary>
public sealed class StorageUnavailableException(string message, Exception? inner = null) : Exception(message, inner);
