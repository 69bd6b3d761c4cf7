namespace Focus.Analyzer.Historic;

/// <summary>
/// An open recording file, whatever its format (PRODML, SEG-Y, Terra15 or Silixa HDF5): <see cref="Header"/> says what
/// it holds, <see cref="Read"/> gives rows of channels as float32 time-major, <see cref="ReadTimes"/> the rows' own
/// recorded times. Channel c (1-based) is the file's c-th stored channel (PRODML column c - 1, SEG-Y trace c of a
/// record). Not thread-safe: one per reader. <see cref="Formats.RecordingFormats.Open"/> picks the implementation.
/// </summary>
public interface IRecording : IDisposable
{
    RecordingHeader Header { get; }

    /// <summary>
    /// Reads rows <paramref name="firstRow"/>.. (<paramref name="rows"/> of them) of channels
    /// <paramref name="firstChannel"/>.. (1-based, <paramref name="channels"/> of them) into
    /// <paramref name="destination"/>, time-major <c>[row][channel]</c>, as float32.
    /// </summary>
    void Read(long firstRow, int rows, int firstChannel, int channels, Span<float> destination);

    /// <summary>The recorded times (UTC epoch µs) of rows <paramref name="firstRow"/>.. into <paramref name="destination"/>.</summary>
    void ReadTimes(long firstRow, Span<long> destination);
}
