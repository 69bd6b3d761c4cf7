using System.Threading.Channels;

namespace Focus.Gateway.Streaming;

/// <summary>
/// The relay's buffer between a job's streams and one browser call, bounded both in messages and in bytes (a
/// MULTICHANNEL line of 32,769 bins is 128 KiB, so a message bound alone could hold gigabytes): when full, the
/// oldest messages are dropped and counted, and the browser sees a <c>row_index</c> jump.
/// </summary>
internal sealed class RelayBuffer
{
    private readonly Channel<byte[]> _channel;
    private readonly long _maxBytes;
    private long _bytes;
    private long _dropped;

    public RelayBuffer(int maxMessages, long maxBytes, bool singleWriter)
    {
        _maxBytes = maxBytes;
        _channel = Channel.CreateBounded<byte[]>(
            new BoundedChannelOptions(maxMessages) { FullMode = BoundedChannelFullMode.DropOldest, SingleReader = false, SingleWriter = singleWriter },
            Dropped);
    }

    public long DroppedMessages => Interlocked.Read(ref _dropped);

    public long Bytes => Interlocked.Read(ref _bytes);

    public void Write(byte[] message)
    {
        Interlocked.Add(ref _bytes, message.Length);
        _channel.Writer.TryWrite(message); // full: the oldest is dropped (Dropped)
        while (Interlocked.Read(ref _bytes) > _maxBytes && _channel.Reader.TryRead(out var oldest)) Dropped(oldest);
    }

    public void Complete(Exception? error = null) => _channel.Writer.TryComplete(error);

    public async IAsyncEnumerable<byte[]> ReadAllAsync([System.Runtime.CompilerServices.EnumeratorCancellation] CancellationToken cancellationToken)
    {
        await foreach (var message in _channel.Reader.ReadAllAsync(cancellationToken))
        {
            Interlocked.Add(ref _bytes, -message.Length);
            yield return message;
        }
    }

    private void Dropped(byte[] message)
    {
        Interlocked.Add(ref _bytes, -message.Length);
        Interlocked.Increment(ref _dropped);
    }
}
