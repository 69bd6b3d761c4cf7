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
        if (!streams.TryAttach(request.StreamId, out var accounting))
            throw new RpcException(new Status(StatusCode.InvalidArgument,
                $"stream_id {request.StreamId} is invalid, must be between 0 and {streams.Count - 1}"));
        using (accounting)
        {
            if (streams.End is { } ended)
                throw new RpcException(ended.Kind == JobEndKind.Completed ? new Status(StatusCode.Cancelled, "the job's stream has stopped") : ended.ToStatus());

            HistoricCall call;
            try
            {
                call = playback.Attach(request.StreamId);
            }
            catch (ReplayLimitExceededException ex)
            {
                throw new RpcException(new Status(StatusCode.ResourceExhausted, ex.Message));
            }
            using var leave = call;
            using var stop = CancellationTokenSource.CreateLinkedTokenSource(context.CancellationToken, streams.Aborted);
            LogAttached(request.StreamId, context.Peer);
            try
            {
                await foreach (var message in call.Messages.ReadAllAsync(stop.Token))
                    await responseStream.WriteAsync(message, context.CancellationToken);
            }
            catch (OperationCanceledException) when (context.CancellationToken.IsCancellationRequested)
            {
                return; // the client left
            }
            catch (OperationCanceledException) when (streams.Aborted.IsCancellationRequested || streams.End is not null)
            {
                throw new RpcException(streams.End!.ToStatus());
            }
            catch (Exception ex) when (ex is not RpcException)
            {
                throw new RpcException(streams.End is { Kind: not JobEndKind.Completed } end
                    ? end.ToStatus()
                    : new Status(StatusCode.Aborted, $"historic playback failed: {ex.Message}"));
            }
            LogPlayed(request.StreamId, context.Peer);
        }
    }

    [LoggerMessage(Level = LogLevel.Debug, Message = "Client {Peer} plays stream {StreamId} from the window's start")]
    private partial void LogAttached(int streamId, string peer);

    [LoggerMessage(Level = LogLevel.Debug, Message = "Client {Peer} played stream {StreamId} to the window's end")]
    private partial void LogPlayed(int streamId, string peer);
}
