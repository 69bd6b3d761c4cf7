using Focus.Analyzer.Sources.RabbitMq.Protos;
using Google.Protobuf;
using RabbitMQ.Client;
using RabbitMQ.Client.Events;

namespace Focus.Analyzer.Sources.RabbitMq;

// Data chunks: parsed, checked against the fiber and the job (bounded: samples x channels, body length, prr) and
// handed to the open reader; a malformed one is counted and dead-lettered, duplicates and late ones only counted.
internal sealed partial class RabbitMqJobInput
{
    private async Task OnDataAsync(IChannel channel, int block, BasicDeliverEventArgs delivery)
    {
        Interlocked.Increment(ref _chunksDelivered);
        if (_session is not { } session) return; // nobody reads: live data is not kept
        DataChunk chunk;
        try
        {
            chunk = DataChunk.Parser.ParseFrom(delivery.Body.Span);
        }
        catch (InvalidProtocolBufferException ex)
        {
            await RefuseChunkAsync(channel, delivery, block, $"not a DataChunk: {ex.Message}");
            return;
        }
        var channels = _fiber.Info?.NumberOfChannels ?? 0;
        if ((long)chunk.FirstChannel + chunk.ChannelCount - 1 > channels)
        {
            await RefuseChunkAsync(channel, delivery, block,
                $"channels {chunk.FirstChannel}..{(long)chunk.FirstChannel + chunk.ChannelCount - 1} are outside the fiber's 1..{channels}");
            return;
        }
        if (await session.AddAsync(block, chunk) is { } problem)
            await RefuseChunkAsync(channel, delivery, block, problem);
    }

    private ChunkAligner NewAligner(int first, int last) =>
        new(first, last, _blockSize, _prr, _broker.Settings.ReorderWindow, _broker.Settings.MaxChunkValues);

    private Task RefuseChunkAsync(IChannel channel, BasicDeliverEventArgs delivery, int block, string problem)
    {
        Reject("malformed", problem, block);
        return DeadLetterAsync(channel, delivery, "application/x-protobuf", problem);
    }

    private void Reject(string reason, string detail, int block)
    {
        Interlocked.Increment(ref _rejected);
        _instruments.ChunksRejected.Add(1, new KeyValuePair<string, object?>("reason", reason));
        LogChunkRejected(block, reason, detail);
    }
}
