namespace Focus.Analyzer.Sources;

/// <summary>A live input: the built-in simulator, or RabbitMQ in a later step.</summary>
public interface ILiveSource
{
    /// <summary>Samples per second per channel of the fiber this source reads.</summary>
    double Prr { get; }

    /// <summary>
    /// Opens a reader of channels <paramref name="firstChannel"/>..<paramref name="lastChannel"/> (1-based,
    /// inclusive) whose first block starts at or after <paramref name="fromSampleIndex"/> (the newest data
    /// the source still has when that sample is gone). The reader ends when disposed.
    /// </summary>
    ILiveReader Open(int firstChannel, int lastChannel, long fromSampleIndex);
}

public interface ILiveReader : IAsyncDisposable
{
    /// <summary>The next block, waiting until it exists; <c>null</c> when the source has ended.</summary>
    ValueTask<SampleBlock?> ReadAsync(CancellationToken cancellationToken);
}
