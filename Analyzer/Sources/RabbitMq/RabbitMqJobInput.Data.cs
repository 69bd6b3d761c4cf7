using Focus.Analyzer.Sources.RabbitMq.Protos;
using Google.Protobuf;

namespace Focus.Analyzer.Sources.RabbitMq;

// Data chunks: parsed, checked and handed to the open reader; refused ones are counted.
internal sealed partial class RabbitMqJobInput
{
    private async Task OnDataAsync(int block, ReadOnlyMemory<byte> body)
    {
        if (_session is not { } session) return; // nobody reads: live data is not kept
        DataChunk chunk;
        try
        {
            chunk = DataChunk.Parser.ParseFrom(body.Span);
        }
        catch (InvalidProtocolBufferException ex)
        {
            Reject("malformed", $"not a DataChunk: {ex.Message}", block);
            return;
        }
        await session.AddAsync(block, chunk);
    }

    private void Reject(string reason, string detail, int block)
    {
        Interlocked.Increment(ref _rejected);
        _instruments.ChunksRejected.Add(1, new KeyValuePair<string, object?>("reason", reason));
        LogChunkRejected(block, reason, detail);
    }
}
