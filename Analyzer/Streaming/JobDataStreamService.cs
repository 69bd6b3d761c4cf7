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
        using var reader = StreamCall.Attach(streams, request.StreamId, LogUnknownStream);
        LogAttached(request.StreamId, context.Peer);
        if (await StreamCall.CopyAsync(reader.Messages, responseStream, context, streams.Aborted) == StreamCallEnd.ClientLeft)
        {
            LogDetached(request.StreamId, context.Peer, reader.DroppedMessages);
            return;
        }

        // Drained (a completed job) or stopped (cancelled or failed): the call ends with the job's status.
        var end = streams.End;
        LogEnded(request.StreamId, context.Peer, end?.Kind, reader.DroppedMessages);
        if (end is not null && end.Kind != JobEndKind.Completed)
            throw new RpcException(end.ToStatus());
    }
}
