using RabbitMQ.Client;

namespace Focus.Analyzer.Sources.RabbitMq;

// The job queue's data bindings follow its readers: a queue nobody reads is bound to its command key only, so 200
// unread full-fiber jobs are not 200 copies of the fiber in the broker (CONTRACT §2: an unread job holds no more
// than its bounded input). The blocks are bound when a reader opens and unbound a grace after the last one left
// (a pipeline catching up reopens its reader at once: no churn).
internal sealed partial class RabbitMqJobInput
{
    private readonly SemaphoreSlim _bindings = new(1, 1);
    private IReadOnlyList<int> _boundBlocks = [];
    private volatile IChannel? _channel;
    private volatile bool _wantData;
    private CancellationTokenSource? _grace;

    /// <summary>The data blocks the queue is bound to now (none while nobody reads).</summary>
    public IReadOnlyList<int> BoundBlocks => Volatile.Read(ref _boundBlocks);

    private void OnReaderOpened()
    {
        Interlocked.Exchange(ref _grace, null)?.Cancel();
        _wantData = true;
        Interlocked.MemoryBarrier(); // pairs with the consumer loop's: one of the two sees the other and binds
        _ = SyncInBackgroundAsync();
    }

    private void OnReaderLeft()
    {
        var grace = new CancellationTokenSource();
        Interlocked.Exchange(ref _grace, grace)?.Cancel();
        _ = UnbindAfterGraceAsync(grace.Token);
    }

    private async Task UnbindAfterGraceAsync(CancellationToken grace)
    {
        try
        {
            await Task.Delay(_broker.Settings.UnbindGrace, _clock, grace);
        }
        catch (OperationCanceledException)
        {
            return; // a reader came back
        }
        if (_session is not null || _stop.IsCancellationRequested) return;
        _wantData = false;
        await SyncInBackgroundAsync();
    }

    private async Task SyncInBackgroundAsync()
    {
        if (_channel is not { IsOpen: true } channel) return; // the consumer loop binds what is wanted when it reopens
        try
        {
            await SyncDataBindingsAsync(channel, _stop.Token);
        }
        catch (OperationCanceledException) when (_stop.IsCancellationRequested)
        {
            // the job ended: its queue goes with its bindings
        }
        catch (Exception ex) when (ex is not OutOfMemoryException)
        {
            LogBindingsFailed(ex, Queue); // the channel went: the consumer loop redeclares and binds again
        }
    }

    /// <summary>Binds the blocks the job's channels need while it is read (new ones first), and unbinds the rest.</summary>
    private async Task SyncDataBindingsAsync(IChannel channel, CancellationToken cancellationToken)
    {
        await _bindings.WaitAsync(cancellationToken);
        try
        {
            var (first, last) = Channels;
            IReadOnlyList<int> wanted = _wantData ? PrismaTopology.Blocks(first, last, _blockSize) : [];
            var bound = BoundBlocks;
            foreach (var block in wanted.Except(bound))
                await channel.QueueBindAsync(Queue, PrismaTopology.Exchange, PrismaTopology.DataRoutingKey(block), cancellationToken: cancellationToken);
            Volatile.Write(ref _boundBlocks, [.. bound.Union(wanted)]);
            foreach (var block in bound.Except(wanted))
                await channel.QueueUnbindAsync(Queue, PrismaTopology.Exchange, PrismaTopology.DataRoutingKey(block), cancellationToken: cancellationToken);
            Volatile.Write(ref _boundBlocks, wanted);
            if (!wanted.SequenceEqual(bound)) LogDataBindings(Queue, wanted.Count);
        }
        finally
        {
            _bindings.Release();
        }
    }

    /// <summary>A queue just declared has no data bindings yet.</summary>
    private void ForgetDataBindings() => Volatile.Write(ref _boundBlocks, []);
}
