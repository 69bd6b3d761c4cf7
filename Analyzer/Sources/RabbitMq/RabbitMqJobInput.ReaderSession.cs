using System.Buffers;
using Focus.Analyzer.Sources.RabbitMq.Protos;

namespace Focus.Analyzer.Sources.RabbitMq;

internal sealed partial class RabbitMqJobInput
{
    /// <summary>The one open reader: its aligner and the hand-off it waits on.</summary>
    private sealed class ReaderSession(RabbitMqJobInput input, ChunkAligner aligner, long from, CancellationTokenSource cancel) : ILiveReader
    {
        private ChunkAligner _aligner = aligner;
        private SampleBlock? _previous;

        public void Cancel()
        {
            try { cancel.Cancel(); } catch (ObjectDisposedException) { }
        }

        /// <summary>Starts over (new queue or channels): called on the delivery path only.</summary>
        public void Restart()
        {
            var (first, last) = input.Channels;
            _aligner.Clear();
            Account();
            _aligner = input.NewAligner(first, last);
        }

        /// <summary>Offers a chunk; returns why it is malformed (the caller dead-letters it), or null.</summary>
        public async Task<string?> AddAsync(int block, DataChunk chunk)
        {
            input._ready.Clear();
            var fate = _aligner.Add(block, chunk, input._ready);
            string? malformed = null;
            switch (fate)
            {
                case ChunkFate.Used: input._fiber.SawChunk((int)chunk.SampleCount); break;
                case ChunkFate.Malformed: malformed = _aligner.LastProblem ?? "malformed"; break;
                case ChunkFate.Duplicate: input.Reject("duplicate", $"sequence {chunk.Sequence}", block); break;
                case ChunkFate.Late: input.Reject("late", $"sequence {chunk.Sequence}", block); break;
            }
            Account();
            foreach (var ready in input._ready)
            {
                try
                {
                    await input._handOff.Writer.WriteAsync(ready, cancel.Token);
                }
                catch (OperationCanceledException)
                {
                    ArrayPool<float>.Shared.Return(ready.Samples);
                    throw;
                }
            }
            return malformed;
        }

        private long _accountedDropped, _accountedHoles;

        private void Account()
        {
            var dropped = _aligner.Dropped - _accountedDropped;
            var holes = _aligner.Holes - _accountedHoles;
            _accountedDropped = _aligner.Dropped;
            _accountedHoles = _aligner.Holes;
            if (dropped > 0)
            {
                Interlocked.Add(ref input._dropped, dropped);
                input._instruments.QueueDropped.Add(dropped);
            }
            if (holes > 0) Interlocked.Add(ref input._holes, holes);
        }

        public async ValueTask<SampleBlock?> ReadAsync(CancellationToken cancellationToken)
        {
            ReturnPrevious();
            if (input._fault is { } fault) throw new InvalidDataException(fault);
            using var linked = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, cancel.Token, input._faulted.Token);
            while (true)
            {
                SampleBlock block;
                try
                {
                    block = await input._handOff.Reader.ReadAsync(linked.Token);
                }
                catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
                {
                    if (input._fault is { } reason) throw new InvalidDataException(reason);
                    return null; // closed: the job is ending
                }
                if (block.FirstSampleIndex + block.SampleCount <= from)
                {
                    ArrayPool<float>.Shared.Return(block.Samples);
                    continue;
                }
                _previous = block;
                return block;
            }
        }

        private void ReturnPrevious()
        {
            if (_previous is { } previous) ArrayPool<float>.Shared.Return(previous.Samples);
            _previous = null;
        }

        public ValueTask DisposeAsync()
        {
            if (Interlocked.CompareExchange(ref input._session, null, this) == this) input.OnReaderLeft();
            Cancel();
            cancel.Dispose(); // linked to the input's stop token: undisposed, its registration stays as long as the input
            ReturnPrevious();
            while (input._handOff.Reader.TryRead(out var stale)) ArrayPool<float>.Shared.Return(stale.Samples);
            return ValueTask.CompletedTask;
        }
    }
}
