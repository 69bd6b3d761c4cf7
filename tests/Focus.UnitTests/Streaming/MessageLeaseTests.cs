using System.Buffers;
using System.Runtime.InteropServices;
using Focus.Analyzer.Historic;
using Focus.Analyzer.Streaming;
using Focus.Analyzer.Streaming.Protos;
using Google.Protobuf;
using Grpc.Core;

namespace Focus.UnitTests.Streaming;

/// <summary>
/// A historic message's lines sit in pooled chunks its <c>main_data</c> wraps (no copy). A chunk goes back to the pool
/// only once every call that was given the message has sent it (its gRPC write returned: serialized) and the run has
/// handed it to all of them; a reader that may keep messages (a REST pull, a test) keeps them for good. The pool here
/// poisons what comes back, so a chunk reused too early shows as NaN in bytes a client received.
/// </summary>
public sealed class MessageLeaseTests
{
    private const int Values = 513;

    [Fact]
    public async Task A_call_serializes_every_message_before_its_lines_are_reused_and_every_chunk_comes_back()
    {
        var pool = new PoisoningPool();
        var (batch, reference) = (new LineBatch(1, Values, 5, pool), new List<byte[]>());
        using var call = new HistoricCall(0, capacity: 2, releasesMessages: true, _ => { });
        var client = new SerializingClient();
        var copy = StreamCall.CopyAsync(call.Messages, client, new TestContext(), CancellationToken.None, call.Sent);

        // The run: 30 messages of 20 lines, each handed to the call, then its own hold released at once (before the
        // client has serialized it: the call's buffer holds two and its write is slower).
        for (var m = 0; m < 30; m++)
        {
            var expected = new DataStream { StartChannel = 3, EndChannel = 3, DataShapeX = Values, JobId = 5 };
            batch.Open(0, 3, 3);
            for (var r = 0; r < 20; r++)
            {
                var line = Line(m * 20 + r);
                batch.Add(0, 1_000 + m * 20 + r, m * 20 + r, line);
                Reference(expected, 1_000 + m * 20 + r, m * 20 + r, line);
            }
            reference.Add(Sealed(expected).ToByteArray());
            var message = batch.Take(0, out var lease)!;
            Assert.NotNull(lease);
            await call.WriteAsync(message, lease, CancellationToken.None);
            lease.Release();
        }
        call.TryComplete();
        Assert.Equal(StreamCallEnd.Drained, await copy.WaitAsync(TimeSpan.FromSeconds(30)));

        Assert.Equal(reference.Count, client.Serialized.Count);
        for (var m = 0; m < reference.Count; m++) Assert.True(reference[m].AsSpan().SequenceEqual(client.Serialized[m]), $"message {m} differs on the wire");
        Assert.True(pool.Rented > 30, $"{pool.Rented} chunks rented");
        Assert.Equal(pool.Rented, pool.Returned); // every chunk went back, once the client had it
        Assert.True(pool.Reused > 0, "no chunk was reused: the test proves nothing");
    }

    [Fact]
    public async Task A_reader_that_keeps_messages_or_skips_some_never_sees_its_lines_reused()
    {
        var pool = new PoisoningPool();
        var batch = new LineBatch(2, Values, null, pool);
        using var keeper = new HistoricCall(0, capacity: 8, releasesMessages: false, _ => { });   // a REST pull's buffer, a test
        var sender = new HistoricCall(1, capacity: 8, releasesMessages: true, _ => { });
        var taken = new List<(DataStream Message, float[] Line)>();
        for (var m = 0; m < 6; m++)
            for (var stream = 0; stream < 2; stream++)
            {
                var line = Line(m * 2 + stream);
                batch.Open(stream, stream, stream);
                batch.Add(stream, m, m, line);
                var message = batch.Take(stream, out var lease)!;
                await (stream == 0 ? keeper : sender).WriteAsync(message, lease, CancellationToken.None);
                lease!.Release();
                taken.Add((message, line));
            }

        // The sender reads six messages but says it sent only the 2nd and the 4th: the others stay its own.
        var read = new List<DataStream>();
        for (var i = 0; i < 6; i++) read.Add(await sender.Messages.ReadAsync());
        sender.Sent(read[1]);
        sender.Sent(read[3]);
        sender.Sent(read[3]); // a second word on a message already sent changes nothing
        sender.Dispose();     // leaves with the 5th and 6th read but not sent

        Assert.Equal(2, pool.Returned); // the 2nd and 4th messages' chunks, one line (one chunk) each
        var returned = new HashSet<DataStream>(ReferenceEqualityComparer.Instance) { read[1], read[3] };
        foreach (var (message, line) in taken.Where(t => !returned.Contains(t.Message)))
            Assert.Equal(line, MemoryMarshal.Cast<byte, float>(message.MainData[0].Span).ToArray());
    }

    [Fact]
    public void A_batch_without_a_pool_or_a_message_taken_without_its_lease_never_gives_lines_back()
    {
        var pool = new PoisoningPool();
        var batch = new LineBatch(1, Values, null, pool);
        batch.Open(0, 0, 0);
        batch.Add(0, 0, 0, Line(1));
        var kept = batch.Take(0)!; // no lease taken: kept for good
        Assert.Equal(0, pool.Returned);
        Assert.Equal(Line(1), MemoryMarshal.Cast<byte, float>(kept.MainData[0].Span).ToArray());

        var unpooled = new LineBatch(1, Values, null);
        unpooled.Open(0, 0, 0);
        unpooled.Add(0, 0, 0, Line(2));
        Assert.NotNull(unpooled.Take(0, out var lease));
        Assert.Null(lease);
    }

    private static float[] Line(int seed)
    {
        var random = new Random(seed);
        return [.. Enumerable.Range(0, Values).Select(_ => (float)(random.NextDouble() * 100 - 140))];
    }

    /// <summary>A line as LineBatch built it before its lines were pooled: a copy per line, TensorPrimitives' extremes.</summary>
    private static void Reference(DataStream message, long ms, int row, float[] line)
    {
        message.TimestampInMilis.Add(ms);
        message.RowIndex.Add(row);
        message.MainData.Add(ByteString.CopyFrom(MemoryMarshal.AsBytes(line.AsSpan())));
        var max = System.Numerics.Tensors.TensorPrimitives.Max<float>(line);
        var min = System.Numerics.Tensors.TensorPrimitives.Min<float>(line);
        message.GlobalMaximum = message.RowIndex.Count == 1 ? max : Math.Max(message.GlobalMaximum, max);
        message.GlobalMinimum = message.RowIndex.Count == 1 ? min : Math.Min(message.GlobalMinimum, min);
    }

    private static DataStream Sealed(DataStream message)
    {
        message.DataShapeY = message.RowIndex.Count;
        return message;
    }

    /// <summary>A pool that fills what comes back with NaN and hands it out again first.</summary>
    internal sealed class PoisoningPool : ArrayPool<byte>
    {
        private readonly Stack<byte[]> _free = new();
        private readonly HashSet<byte[]> _out = new(ReferenceEqualityComparer.Instance);

        public int Rented { get; private set; }

        public int Returned { get; private set; }

        public int Reused { get; private set; }

        public override byte[] Rent(int minimumLength)
        {
            lock (_free)
            {
                Rented++;
                var array = _free.Count > 0 && _free.Peek().Length >= minimumLength ? _free.Pop() : new byte[Math.Max(minimumLength, 16 * 1024)];
                if (array.AsSpan().IndexOfAnyExcept((byte)0xFF) < 0) Reused++;
                _out.Add(array);
                return array;
            }
        }

        public override void Return(byte[] array, bool clearArray = false)
        {
            lock (_free)
            {
                Assert.True(_out.Remove(array), "a chunk came back twice, or was never rented");
                Returned++;
                array.AsSpan().Fill(0xFF); // NaN as float32
                _free.Push(array);
            }
        }
    }

    /// <summary>gRPC's side of a call at its latest: the message is serialized only when the write completes, later.</summary>
    private sealed class SerializingClient : IServerStreamWriter<DataStream>
    {
        public List<byte[]> Serialized { get; } = [];

        public WriteOptions? WriteOptions { get; set; }

        public async Task WriteAsync(DataStream message)
        {
            await Task.Delay(1); // the producer runs ahead meanwhile: released its own hold, rents and writes new lines
            Serialized.Add(message.ToByteArray());
        }
    }

    private sealed class TestContext : ServerCallContext
    {
        protected override string MethodCore => "StreamData";
        protected override string HostCore => "localhost";
        protected override string PeerCore => "test";
        protected override DateTime DeadlineCore => DateTime.MaxValue;
        protected override Metadata RequestHeadersCore => [];
        protected override CancellationToken CancellationTokenCore => CancellationToken.None;
        protected override Metadata ResponseTrailersCore => [];
        protected override Status StatusCore { get; set; }
        protected override WriteOptions? WriteOptionsCore { get; set; }
        protected override AuthContext AuthContextCore => new(null, []);
        protected override ContextPropagationToken CreatePropagationTokenCore(ContextPropagationOptions? options) => throw new NotSupportedException();
        protected override Task WriteResponseHeadersAsyncCore(Metadata responseHeaders) => Task.CompletedTask;
    }
}
