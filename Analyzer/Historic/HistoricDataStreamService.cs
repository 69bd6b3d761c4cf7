using Focus.Analyzer.Pipeline;
using Focus.Analyzer.Streaming;
using Focus.Analyzer.Streaming.Protos;
using Grpc.Core;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.Extensions.Logging;

namespace Focus.Analyzer.Historic;

/// <summary>
/// <c>pandadatastream.DataStreamService</c> of a historic job (CONTRACT §2): each call plays the whole window from
/// its start and ends OK at the window's end; a cancelled job ends it CANCELLED, a failed playback ABORTED with the
/// reason. Calls are counted on the job's <see cref="JobStreams"/> (clients, idle time, end status). Both are
/// features of the request, set by the server of the job whose port the call reached.
/// </summary>
public sealed partial class HistoricDataStreamService(ILogger<HistoricDataStreamService> logger)
    : DataStreamService.DataStreamServiceBase
{
    public override async Task StreamData(StreamDataRequest request, IServerStreamWriter<DataStream> responseStream, ServerCallContext context)
    {
        var job = context.GetHttpContext().Features;
        var (streams, playback) = (job.GetRequiredFeature<JobStreams>(), job.GetRequiredFeature<HistoricPlayback>());
        using var scope = logger.BeginScope(new JobLogScope(streams.JobId));
        using var accounting = StreamCall.Attach(streams, request.StreamId);
        if (streams.End is { } ended)
            throw new RpcException(ended.Kind == JobEndKind.Completed ? new Status(StatusCode.Cancelled, "the job's stream has stopped") : ended.ToStatus());

        HistoricCall call;
        try
        {
            call = playback.Attach(request.StreamId, releasesMessages: true);
        }
        catch (ReplayLimitExceededException ex)
        {
            throw new RpcException(new Status(StatusCode.ResourceExhausted, ex.Message));
        }
        using var leave = call;
        LogAttached(request.StreamId, context.Peer);
        StreamCallEnd end;
        try
        {
            end = await StreamCall.CopyAsync(call.Messages, responseStream, context, streams.Aborted, call.Sent);
        }
        catch (OperationCanceledException) when (streams.End is not null)
        {
            throw new RpcException(streams.End!.ToStatus()); // the playback was stopped with the job
        }
        catch (Exception ex) when (ex is not RpcException)
        {
            throw new RpcException(streams.End is { Kind: not JobEndKind.Completed } failed
                ? failed.ToStatus()
                : new Status(StatusCode.Aborted, $"historic playback failed: {ex.Message}"));
        }
        if (end == StreamCallEnd.ClientLeft) return;
        if (end == StreamCallEnd.JobStopped) throw new RpcException(streams.End!.ToStatus());
        LogPlayed(request.StreamId, context.Peer);
    }

    [LoggerMessage(Level = LogLevel.Debug, Message = "Client {Peer} plays stream {StreamId} from the window's start")]
    private partial void LogAttached(int streamId, string peer);

    [LoggerMessage(Level = LogLevel.Debug, Message = "Client {Peer} played stream {StreamId} to the window's end")]
    private partial void LogPlayed(int streamId, string peer);
}
