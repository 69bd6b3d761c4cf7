using System.Threading.Channels;
using Focus.Analyzer.Streaming.Protos;
using Grpc.Core;

namespace Focus.Analyzer.Streaming;

/// <summary>What ended a call's copy of its messages to the client.</summary>
public enum StreamCallEnd
{
    /// <summary>The messages ran out: the job (or the window) completed.</summary>
    Drained,

    /// <summary>The client left; nobody reads a status.</summary>
    ClientLeft,

    /// <summary>The job was cancelled or failed: the call ends with its status.</summary>
    JobStopped,
}

/// <summary>The body a live and a historic job's <c>StreamData</c> share: attaching to a stream, then copying its messages.</summary>
public static class StreamCall
{
    /// <summary>The reader of <paramref name="streamId"/> on this job's port; INVALID_ARGUMENT naming the valid ids otherwise.</summary>
    public static JobStreamReader Attach(JobStreams streams, int streamId, Action<int, int>? logRefused = null)
    {
        if (streams.TryAttach(streamId, out var reader)) return reader;
        logRefused?.Invoke(streamId, streams.Count - 1);
        throw new RpcException(new Status(StatusCode.InvalidArgument,
            $"stream_id {streamId} is invalid, must be between 0 and {streams.Count - 1}"));
    }

    /// <summary>
    /// Writes <paramref name="messages"/> to the client until they run out, the client leaves or the job stops. A
    /// stopped job ends the call at its next message (no draining of old lines), but a write in flight is never
    /// cancelled by it: Kestrel would reset the stream and the client would see CANCELLED instead of the job's status.
    /// <paramref name="sent"/> hears of each message once its write has returned: gRPC serializes a message before
    /// its write returns and holds nothing of it after, so the message's buffers may be reused from then on.
    /// </summary>
    public static async Task<StreamCallEnd> CopyAsync(ChannelReader<DataStream> messages, IServerStreamWriter<DataStream> client,
        ServerCallContext context, CancellationToken jobStopped, Action<DataStream>? sent = null)
    {
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(context.CancellationToken, jobStopped);
        try
        {
            await foreach (var message in messages.ReadAllAsync(stop.Token))
            {
                await client.WriteAsync(message, context.CancellationToken);
                sent?.Invoke(message);
            }
            return StreamCallEnd.Drained;
        }
        catch (OperationCanceledException) when (context.CancellationToken.IsCancellationRequested)
        {
            return StreamCallEnd.ClientLeft;
        }
        catch (OperationCanceledException) when (jobStopped.IsCancellationRequested)
        {
            return StreamCallEnd.JobStopped;
        }
    }
}
