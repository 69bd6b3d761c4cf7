using System.Threading.Channels;
using Focus.Analyzer.Streaming;

namespace Focus.Analyzer.Historic;

/// <summary>The run's lines into its calls' messages: a slice's streams, WATERFALL's one stream, and the sending.</summary>
internal sealed partial class HistoricRun
{
    /// <summary>Line <paramref name="k"/> of the block's plan, the slice's channels side by side, into its streams' messages.</summary>
    private void AddLine(ChannelSlice slice, BlockPlan plan, int k, ReadOnlySpan<float> line)
    {
        var batch = slice.Batch!;
        var bins = _spec.BinCount;
        var hasCall = Volatile.Read(ref _hasCall);
        for (var c = 0; c < slice.Channels; c++)
        {
            var stream = slice.Offset + c;
            if (!batch.IsOpen(stream))
            {
                if (!hasCall[stream]) continue;
                batch.Open(stream, _spec.ChannelMin + stream, _spec.ChannelMin + stream);
            }
            batch.Add(stream, plan.Stamp(k), plan.Row(k), line.Slice(c * bins, bins));
        }
    }

    /// <summary>WATERFALL: the block's lines, every slice's channels side by side, into the one stream's messages.</summary>
    private async Task SendWaterfallAsync(LineBatch batch, BlockPlan plan, CancellationToken cancellationToken)
    {
        var values = _spec.ChannelAmount;
        var pending = 0;
        for (var k = 0; k < plan.Count; k++)
        {
            if (batch.IsOpen(0) || Volatile.Read(ref _hasCall)[0])
            {
                if (!batch.IsOpen(0)) batch.Open(0, _spec.ChannelMin, _spec.ChannelMax);
                batch.Add(0, plan.Stamp(k), plan.Row(k), _waterfallLines.AsSpan(k * values, values));
            }
            if (++pending < _linesPerMessage && k < plan.Count - 1) continue;
            await SendAsync(batch, 0, 1, pending, plan.Line(k), cancellationToken);
            pending = 0;
        }
    }

    /// <summary>
    /// Sends streams <paramref name="firstStream"/> .. +<paramref name="streams"/> of <paramref name="batch"/> to their
    /// calls, waiting for a slow call (nothing is dropped); at wall-clock pace, not before the last line is due.
    /// </summary>
    private async Task SendAsync(LineBatch batch, int firstStream, int streams, int countLines, long lastLine, CancellationToken cancellationToken)
    {
        if (_pace)
        {
            // Wall-clock pace: the line at window offset t goes out t after the run began.
            var due = TimeSpan.FromSeconds((double)lastLine * _spec.Hop / _spec.Prr) - _clock.GetElapsedTime(_startedAt);
            if (due > TimeSpan.Zero) await Task.Delay(due, _clock, cancellationToken);
        }
        var calls = Live();
        for (var stream = firstStream; stream < firstStream + streams; stream++)
        {
            while (batch.Take(stream, out var lease) is { } message) // split under LineBatch.MaxMessageBytes
            {
                try
                {
                    foreach (var call in calls)
                    {
                        if (call.StreamId != stream) continue;
                        try
                        {
                            await call.WriteAsync(message, lease, cancellationToken);
                        }
                        catch (ChannelClosedException)
                        {
                            // the call left
                        }
                    }
                }
                finally
                {
                    lease?.Release(); // the run's own hold: the pooled lines go back once the calls have sent them
                }
            }
        }
        if (countLines > 0) _owner.AddLines(countLines);
    }
}
