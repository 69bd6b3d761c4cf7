using Focus.Analyzer.Streaming.Protos;

namespace Focus.Analyzer.Streaming;

/// <summary>
/// The REST pull of one job (CONTRACT §1, GET /waterfall): one more reader of the job's streams that joins each
/// line's streams into one <see cref="PullLine"/> and keeps the lines until a pull takes them, oldest first. Bounded
/// to the newest <see cref="MaxLines"/> lines or <see cref="MaxBytes"/>: a live job drops the oldest (counted), a
/// historic feed waits for room instead (<see cref="AddAsync"/>), as its gRPC calls do. Closes itself when nobody
/// pulled for the idle timeout.
/// </summary>
public sealed class PullBuffer : IDisposable
{
    public const int MaxLines = 1000;
    public const long MaxBytes = 8L * 1024 * 1024;

    private readonly int _streams;
    private readonly TimeSpan _idleTimeout;
    private readonly TimeProvider _clock;
    private readonly Action<PullBuffer> _onClosed;
    private readonly Action<long> _onDropped;
    private readonly Lock _gate = new();
    private readonly Queue<PullLine> _ready = new();
    private readonly Dictionary<int, PendingLine> _pendingByRow = [];
    private readonly Queue<PendingLine> _pending = new(); // in arrival order, which is row order
    private readonly SemaphoreSlim _feed = new(1, 1);
    private readonly CancellationTokenSource _closing = new();
    private readonly ITimer? _idleTimer;
    private TaskCompletionSource _room = NewSignal();
    private long _readyBytes;
    private long _dropped;
    private long _droppedTaken;
    private long _lastPullTicks;
    private bool _complete;
    private bool _closed;

    internal PullBuffer(int streams, TimeSpan idleTimeout, TimeProvider clock, Action<PullBuffer> onClosed, Action<long> onDropped)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(streams, 1);
        _streams = streams;
        _idleTimeout = idleTimeout;
        _clock = clock;
        _onClosed = onClosed;
        _onDropped = onDropped;
        _lastPullTicks = clock.GetUtcNow().UtcTicks;
        _idleTimer = clock.CreateTimer(_ => CloseIfIdle(), null, idleTimeout, Timeout.InfiniteTimeSpan);
    }

    /// <summary>A buffer of a job that has already ended: every pull is <see cref="PullTake.Finished"/>.</summary>
    internal static PullBuffer Ended(TimeProvider clock)
    {
        var buffer = new PullBuffer(1, Timeout.InfiniteTimeSpan, clock, _ => { }, _ => { });
        buffer.Complete();
        buffer.Dispose();
        return buffer;
    }

    /// <summary>Fires when the buffer closes (idle, job ended, played out): a feed stops.</summary>
    public CancellationToken Closing => _closing.Token;

    public bool IsClosed
    {
        get { lock (_gate) return _closed; }
    }

    /// <summary>No line will ever come again and none waits: the job ended, or its historic window was played out and pulled.</summary>
    public bool IsFinished
    {
        get { lock (_gate) return _complete && _ready.Count == 0; }
    }

    public DateTimeOffset LastPulledAt => new(Interlocked.Read(ref _lastPullTicks), TimeSpan.Zero);

    /// <summary>Lines waiting to be pulled.</summary>
    public int Count
    {
        get { lock (_gate) return _ready.Count; }
    }

    /// <summary>Lines dropped because the buffer was full.</summary>
    public long DroppedLines => Interlocked.Read(ref _dropped);

    /// <summary>A live stream's message: its lines join the buffer; beyond the bound the oldest are dropped. Never waits.</summary>
    public void Add(int stream, DataStream message)
    {
        long dropped = 0;
        lock (_gate)
        {
            if (_closed) return;
            for (var i = 0; i < message.DataShapeY; i++)
                AddSegment(stream, message, i, discardIncomplete: true);
            while (_ready.Count > MaxLines || (_readyBytes > MaxBytes && _ready.Count > 1))
            {
                _readyBytes -= Bytes(_ready.Dequeue());
                dropped++;
            }
            _dropped += dropped;
        }
        if (dropped > 0) _onDropped(dropped);
    }

    /// <summary>A historic stream's message: waits for room before a line would exceed the bound, so nothing is dropped.</summary>
    public async Task AddAsync(int stream, DataStream message, CancellationToken cancellationToken)
    {
        await _feed.WaitAsync(cancellationToken); // one feed at a time, so the bound holds exactly
        try
        {
            for (var i = 0; i < message.DataShapeY; i++)
            {
                while (true)
                {
                    Task room;
                    lock (_gate)
                    {
                        if (_closed) return;
                        if (!Completes(stream, message.RowIndex[i]) || HasRoomFor(message.MainData[i].Length * _streams))
                        {
                            AddSegment(stream, message, i, discardIncomplete: false);
                            break;
                        }
                        if (_room.Task.IsCompleted) _room = NewSignal();
                        room = _room.Task;
                    }
                    await room.WaitAsync(cancellationToken);
                }
            }
        }
        finally
        {
            _feed.Release();
        }
    }

    /// <summary>No more lines will come (the job ended or the window was played out); what waits can still be pulled.</summary>
    public void Complete()
    {
        lock (_gate) _complete = true;
    }

    /// <summary>Takes up to <paramref name="maxLines"/> of the oldest lines, within <paramref name="maxBytes"/> of values (at least one); counts as a read.</summary>
    public PullTake Take(int maxLines, long maxBytes = long.MaxValue)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(maxLines, 1);
        PullTake take;
        bool playedOut;
        lock (_gate)
        {
            Interlocked.Exchange(ref _lastPullTicks, _clock.GetUtcNow().UtcTicks);
            var lines = new List<PullLine>(Math.Min(maxLines, _ready.Count));
            long bytes = 0;
            while (lines.Count < maxLines && _ready.TryPeek(out var next) && (lines.Count == 0 || bytes + Bytes(next) <= maxBytes))
            {
                lines.Add(_ready.Dequeue());
                bytes += Bytes(next);
            }
            _readyBytes -= bytes;
            if (lines.Count > 0) _room.TrySetResult();
            var dropped = _dropped - _droppedTaken;
            _droppedTaken = _dropped;
            take = new PullTake(lines, _complete && lines.Count == 0, dropped);
            playedOut = _complete && _ready.Count == 0 && !_closed;
        }
        if (playedOut) Dispose(); // nothing more to read: the buffer no longer keeps the job alive
        return take;
    }

    /// <summary>Closes the buffer: it holds nothing more and its feed stops. Idempotent.</summary>
    public void Dispose()
    {
        lock (_gate)
        {
            if (_closed) return;
            _closed = true;
            _ready.Clear(); // a buffer played out closes empty; any other close drops what nobody pulled
            _readyBytes = 0;
            _pending.Clear();
            _pendingByRow.Clear();
            _room.TrySetResult();
        }
        _idleTimer?.Dispose();
        _closing.Cancel();
        _onClosed(this);
    }

    private void CloseIfIdle()
    {
        var idle = _clock.GetUtcNow() - LastPulledAt;
        if (idle >= _idleTimeout) Dispose();
        else _idleTimer?.Change(_idleTimeout - idle, Timeout.InfiniteTimeSpan);
    }

    /// <summary>True when <paramref name="stream"/>'s part of <paramref name="row"/> is the last one missing.</summary>
    private bool Completes(int stream, int row) =>
        _streams == 1 || (_pendingByRow.TryGetValue(row, out var line) && line.Filled == _streams - 1 && line.Segments[stream].Values is null);

    private bool HasRoomFor(long bytes) =>
        _ready.Count == 0 || (_ready.Count < MaxLines && _readyBytes + bytes <= MaxBytes);

    private void AddSegment(int stream, DataStream message, int index, bool discardIncomplete)
    {
        var row = message.RowIndex[index];
        var segment = new PullSegment(message.StartChannel, message.EndChannel, message.MainData[index]);
        if (_streams == 1)
        {
            Enqueue(new PullLine(message.TimestampInMilis[index], [segment]));
            return;
        }
        if (!_pendingByRow.TryGetValue(row, out var line))
        {
            line = new PendingLine(row, message.TimestampInMilis[index], new PullSegment[_streams]);
            _pendingByRow.Add(row, line);
            _pending.Enqueue(line);
        }
        if (line.Segments[stream].Values is not null) return; // a repeat changes nothing
        line.Segments[stream] = segment;
        if (++line.Filled < _streams) return;

        // Lines leave in row order. A live line older than this one that still misses a stream never completes
        // (the buffer opened in the middle of its batch); a historic one will, as its feed catches up.
        while (_pending.TryPeek(out var head) && (head.Filled == _streams || (discardIncomplete && head.Row < row)))
        {
            _pending.Dequeue();
            _pendingByRow.Remove(head.Row);
            if (head.Filled == _streams) Enqueue(new PullLine(head.TimestampMs, head.Segments));
        }
    }

    private void Enqueue(PullLine line)
    {
        _ready.Enqueue(line);
        _readyBytes += Bytes(line);
    }

    private static long Bytes(PullLine line)
    {
        long bytes = 0;
        foreach (var segment in line.Segments) bytes += segment.Values.Length;
        return bytes;
    }

    private static TaskCompletionSource NewSignal() => new(TaskCreationOptions.RunContinuationsAsynchronously);

    private sealed class PendingLine(int row, long timestampMs, PullSegment[] segments)
    {
        public int Row { get; } = row;
        public long TimestampMs { get; } = timestampMs;
        public PullSegment[] Segments { get; } = segments;
        public int Filled { get; set; }
    }
}
