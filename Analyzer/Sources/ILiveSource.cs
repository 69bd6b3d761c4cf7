namespace Focus.Analyzer.Sources;

/// <summary>A live input: the built-in simulator, or the recorder's RabbitMQ exchange.</summary>
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

    /// <summary>
    /// Takes what one job's input needs for the job's whole life and returns it; the job's readers come from it,
    /// and disposing it gives everything back. The RabbitMQ source declares the job's queue here (and throws
    /// <c>LiveInputUnavailableException</c> while the broker is unreachable); the default reads this source directly.
    /// </summary>
    ValueTask<ILiveJobInput> AttachAsync(string jobId, int firstChannel, int lastChannel, CancellationToken cancellationToken) =>
        ValueTask.FromResult<ILiveJobInput>(new SharedSourceJobInput(this, firstChannel, lastChannel));
}

public interface ILiveReader : IAsyncDisposable
{
    /// <summary>The next block, waiting until it exists; <c>null</c> when the source has ended.</summary>
    ValueTask<SampleBlock?> ReadAsync(CancellationToken cancellationToken);
}

/// <summary>One job's live input for the job's life: at most one reader at a time.</summary>
public interface ILiveJobInput : IAsyncDisposable
{
    /// <summary>The job's broker queue, or null when the source has none.</summary>
    string? Queue { get; }

    /// <summary>The last time a client said it is still there (a KeepaliveCommand), if ever.</summary>
    DateTimeOffset? LastKeepaliveAt { get; }

    /// <summary>Why the input cannot serve the job any more (e.g. its channels left the fiber), or null.</summary>
    string? Fault { get; }

    /// <summary>A reader of the job's channels from <paramref name="fromSampleIndex"/> on (see <see cref="ILiveSource.Open"/>).</summary>
    ILiveReader Open(long fromSampleIndex);
}

/// <summary>A job's input on a source every job reads directly (the simulator): nothing to take or give back.</summary>
internal sealed class SharedSourceJobInput(ILiveSource source, int firstChannel, int lastChannel) : ILiveJobInput
{
    public string? Queue => null;

    public DateTimeOffset? LastKeepaliveAt => null;

    public string? Fault => null;

    public ILiveReader Open(long fromSampleIndex) => source.Open(firstChannel, lastChannel, fromSampleIndex);

    public ValueTask DisposeAsync() => ValueTask.CompletedTask;
}
