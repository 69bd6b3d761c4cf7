using System.Diagnostics.CodeAnalysis;
using Focus.Analyzer.Pipeline;
using Focus.Analyzer.Streaming.Protos;

namespace Focus.Analyzer.Streaming;

/// <summary>
/// The fan-out of one job: <see cref="Count"/> streams, each read by any number of gRPC calls through
/// their own bounded <see cref="JobStreamReader"/>. The pipeline publishes; nothing here ever blocks it.
/// </summary>
public sealed class JobStreams
{
    private readonly JobStreamReader[][] _readers; // copy-on-write per stream, read lock-free by Publish
    private readonly TimeProvider _clock;
    private readonly Lock _gate = new();
    private readonly CancellationTokenSource _aborted = new();
    private TaskCompletionSource _attached = NewSignal();
    private int _readerCount;
    private long _lastReadAtTicks;
    private long _droppedMessages;
    private long _droppedLines;
    private JobEnd? _end;
    private PullBuffer? _pull; // the REST pull, once a client pulled (one per job)

    public JobStreams(string jobId, int count, int readerCapacity, TimeProvider clock)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(count, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(readerCapacity, 1);
        JobId = jobId;
        ReaderCapacity = readerCapacity;
        _clock = clock;
        _readers = new JobStreamReader[count][];
        Array.Fill(_readers, []);
        _lastReadAtTicks = clock.GetUtcNow().UtcTicks;
    }

    public string JobId { get; }

    /// <summary>Streams of the job: valid stream ids are 0 .. Count-1.</summary>
    public int Count => _readers.Length;

    /// <summary>Messages each reader may hold before its oldest is dropped.</summary>
    public int ReaderCapacity { get; }

    /// <summary>Calls attached now, over all streams.</summary>
    public int ReaderCount => Volatile.Read(ref _readerCount);

    /// <summary>Now while a reader is attached, else the moment the last one left (or the job's creation).</summary>
    public DateTimeOffset LastReadAt => ReaderCount > 0
        ? _clock.GetUtcNow()
        : new DateTimeOffset(Interlocked.Read(ref _lastReadAtTicks), TimeSpan.Zero);

    public long DroppedMessages => Interlocked.Read(ref _droppedMessages);

    /// <summary>Lines inside the dropped messages.</summary>
    public long DroppedLines => Interlocked.Read(ref _droppedLines);

    /// <summary>Messages waiting in every reader's buffer.</summary>
    public int QueueDepth
    {
        get
        {
            var depth = 0;
            for (var i = 0; i < _readers.Length; i++)
                foreach (var reader in Volatile.Read(ref _readers[i]))
                    depth += reader.Pending;
            return depth;
        }
    }

    /// <summary>How the job ended, once <see cref="Complete"/> ran.</summary>
    public JobEnd? End => Volatile.Read(ref _end);

    /// <summary>Fires when the job ends with anything but <see cref="JobEndKind.Completed"/>: calls stop at once.</summary>
    public CancellationToken Aborted => _aborted.Token;

    public bool HasReaders(int streamId) =>
        Volatile.Read(ref _readers[streamId]).Length > 0 || Volatile.Read(ref _pull) is { IsClosed: false };

    /// <summary>
    /// The job's pull buffer, opened by the first pull (<paramref name="opened"/>): it reads every stream and counts
    /// as a reader (the job computes and stays alive) until it closes after <paramref name="idleTimeout"/> without a
    /// pull. A buffer that finished (job ended, window played out and pulled) stays, so later pulls learn it.
    /// </summary>
    public PullBuffer OpenPull(TimeSpan idleTimeout, out bool opened)
    {
        lock (_gate)
        {
            opened = false;
            if (_pull is { } current && (!current.IsClosed || current.IsFinished)) return current;
            if (_end is not null) return _pull = PullBuffer.Ended(_clock);
            var pull = new PullBuffer(Count, idleTimeout, _clock, OnPullClosed, OnPullDropped);
            Volatile.Write(ref _pull, pull);
            if (_readerCount++ == 0) _attached.TrySetResult();
            opened = true;
            return pull;
        }
    }

    /// <summary>Completes when at least one reader is attached (at once if one is).</summary>
    public Task WaitForReaderAsync(CancellationToken cancellationToken)
    {
        lock (_gate) return _attached.Task.WaitAsync(cancellationToken);
    }

    /// <summary>
    /// Gives a call its own reader of <paramref name="streamId"/>; false when the id is outside 0..Count-1.
    /// Once the job has ended the reader is already complete, so the call ends with the job's status.
    /// </summary>
    public bool TryAttach(int streamId, [NotNullWhen(true)] out JobStreamReader? reader)
    {
        if ((uint)streamId >= (uint)_readers.Length)
        {
            reader = null;
            return false;
        }
        lock (_gate)
        {
            if (_end is not null)
            {
                reader = new JobStreamReader(null, streamId, 1);
                reader.Complete();
                return true;
            }
            reader = new JobStreamReader(this, streamId, ReaderCapacity);
            _readers[streamId] = [.. _readers[streamId], reader];
            if (_readerCount++ == 0) _attached.TrySetResult();
            return true;
        }
    }

    /// <summary>Offers <paramref name="message"/> to every reader of the stream; never waits.</summary>
    public void Publish(int streamId, DataStream message)
    {
        foreach (var reader in Volatile.Read(ref _readers[streamId]))
            reader.TryWrite(message);
        Volatile.Read(ref _pull)?.Add(streamId, message);
    }

    /// <summary>Ends every reader with the status of <paramref name="end"/>; later attaches get it too. First call wins.</summary>
    public void Complete(JobEnd end)
    {
        JobStreamReader[] all;
        lock (_gate)
        {
            if (_end is not null) return;
            Volatile.Write(ref _end, end);
            all = [.. _readers.SelectMany(r => r)];
        }
        if (end.Kind != JobEndKind.Completed) _aborted.Cancel();
        foreach (var reader in all) reader.Complete();
        if (Volatile.Read(ref _pull) is { } pull)
        {
            // The job is over: its buffer lets go of its lines and timer now, and later pulls learn the end.
            pull.Complete();
            pull.Dispose();
        }
    }

    internal void Detach(JobStreamReader reader)
    {
        lock (_gate)
        {
            var current = _readers[reader.StreamId];
            var index = Array.IndexOf(current, reader);
            if (index < 0) return;
            _readers[reader.StreamId] = [.. current[..index], .. current[(index + 1)..]];
            if (--_readerCount == 0)
            {
                Interlocked.Exchange(ref _lastReadAtTicks, _clock.GetUtcNow().UtcTicks);
                _attached = NewSignal();
            }
        }
    }

    private void OnPullClosed(PullBuffer pull)
    {
        lock (_gate)
        {
            if (pull != _pull) return;
            if (!pull.IsFinished) _pull = null;
            // A pull is a read at the moment it was made: the job's idle time runs from the last pull, not from the close.
            var lastPull = pull.LastPulledAt.UtcTicks;
            if (lastPull > Interlocked.Read(ref _lastReadAtTicks)) Interlocked.Exchange(ref _lastReadAtTicks, lastPull);
            if (--_readerCount == 0) _attached = NewSignal();
        }
    }

    private void OnPullDropped(long lines) => Interlocked.Add(ref _droppedLines, lines);

    internal void OnDropped(DataStream message)
    {
        Interlocked.Increment(ref _droppedMessages);
        Interlocked.Add(ref _droppedLines, message.DataShapeY);
    }

    private static TaskCompletionSource NewSignal() => new(TaskCreationOptions.RunContinuationsAsynchronously);
}
