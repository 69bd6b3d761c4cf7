using Focus.Analyzer.Pipeline;
using Focus.Analyzer.Streaming.Protos;
using Grpc.Core;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.Extensions.Logging;

namespace Focus.Analyzer.Streaming;

/// <summary>
/// <c>pandadatastream.DataStreamService</c> of one job: each call reads its own bounded buffer of the
/// requested stream until the client leaves or the job ends, then ends with the job's status. The job is the one
/// whose port the call reached (its <see cref="JobStreams"/> is a feature of the request).
/// </summary>
public sealed partial class JobDataStreamService(ILogger<JobDataStreamService> logger)
    : DataStreamService.DataStreamServiceBase
{
    public override async Task StreamData(
        StreamDataRequest request, IServerStreamWriter<DataStream> responseStream, ServerCallContext context)
    {
        var streams = context.GetHttpContext().Features.GetRequiredFeature<JobStreams>();
        using var scope = logger.BeginScope(new JobLogScope(streams.JobId));
        if (!streams.TryAttach(request.StreamId, out var reader))
        {
            LogUnknownStream(request.StreamId, streams.Count - 1);
            throw new RpcException(new Status(StatusCode.InvalidArgument,
                $"stream_id {request.StreamId} is invalid, must be between 0 and {streams.Count - 1}"));
        }

        using (reader)
        {
            LogAttached(request.StreamId, context.Peer);
            // A cancelled or failed job stops the call at its next message (no draining of old lines); a
            // completed one drains. A write in flight is never cancelled: Kestrel would reset the stream and
            // the client would see CANCELLED instead of the job's status.
            using var stop = CancellationTokenSource.CreateLinkedTokenSource(context.CancellationToken, streams.Aborted);
            try
            {
                await foreach (var message in reader.Messages.ReadAllAsync(stop.Token))
                    await responseStream.WriteAsync(message, context.CancellationToken);
            }
            catch (OperationCanceledException) when (context.CancellationToken.IsCancellationRequested)
            {
                LogDetached(request.StreamId, context.Peer, reader.DroppedMessages);
                return; // the client left; nobody reads a status
            }
            catch (OperationCanceledException) when (streams.Aborted.IsCancellationRequested)
            {
                // fall through to the job's status
            }

            var end = streams.End;
            LogEnded(request.StreamId, context.Peer, end?.Kind, reader.DroppedMessages);
            if (end is not null && end.Kind != JobEndKind.Completed)
                throw new RpcException(end.ToStatus());
        }
    }
}
