using Focus.Gateway.Apis;
using Focus.Gateway.Audit;
using Focus.Gateway.Security;
using Focus.Grains.Jobs;
using Grpc.Core;
using Grpc.Net.Client;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Focus.Gateway.Streaming;

/// <summary>
/// <c>pandadatastream.DataStreamService/StreamData</c> as gRPC-Web under <c>/viewer-stream/{job_id}/</c>:
/// browsers cannot call a job's cleartext HTTP/2 port, so the gateway reads the job's stream as one
/// more gRPC client and forwards each message unchanged. Between the two sits a bounded buffer that
/// drops the oldest message when the browser is slower than the job, so a slow page never slows the
/// job and sees the loss as a <c>row_index</c> jump, exactly as a slow client of the port would.
/// The buffer is bounded in bytes too, and calls are capped per job and per client (<see cref="RelayCalls"/>).
/// The job's final status (CANCELLED, ABORTED with its reason, OK at the end of a historic window)
/// is forwarded as the call's status. <c>stream_id</c> -1 reads every stream of the job on one call.
/// With auth on the caller's identity is checked against the job's owner (PERMISSION_DENIED for an analyst on
/// another's job) and the relay presents the job's stream token upstream itself.
/// </summary>
[BindServiceMethod(typeof(ViewerStreamRelay), nameof(BindService))]
public partial class ViewerStreamRelay(
    IGrainFactory grains, RelayCalls calls, IOptions<ViewerOptions> options, JobAccess access, AuditLog audit, StreamTrust trust,
    ILogger<ViewerStreamRelay> logger)
{
    private readonly ViewerOptions _options = options.Value;

    public static void BindService(ServiceBinderBase binder, ViewerStreamRelay? service) =>
        binder.AddMethod(RelayMethods.Relay, service is null ? null : service.StreamData);

    // Virtual because Grpc.AspNetCore binds only a virtual handler declared by the type that binds the service.
    public virtual async Task StreamData(byte[] request, IServerStreamWriter<byte[]> responseStream, ServerCallContext context)
    {
        var http = context.GetHttpContext();
        var jobId = http.GetRouteValue("job_id") as string ?? "";
        var streamId = RelayMethods.ReadStreamId(request);
        var job = await grains.GetGrain<IJobGrain>(jobId).GetStatus()
            ?? throw new RpcException(new Status(StatusCode.NotFound, $"Invalid job_id: {jobId}"));
        if (!access.MayUse(http.User, job.Caller))
            throw new RpcException(new Status(StatusCode.PermissionDenied, "this job belongs to another identity"));
        if (job.Phase.IsFinal() && job.Phase != JobPhase.Completed) throw Ended(job);
        if (job.Resources is not { } resources || job.Parameters is not { } parameters)
            throw new RpcException(new Status(StatusCode.Unavailable, $"job {jobId} is {job.Phase.ToWire()}; its stream is not up yet"));

        int[] streamIds = streamId == RelayMethods.AllStreams
            ? Enumerable.Range(0, parameters.StreamAmount).ToArray()
            : [streamId]; // an unknown id is the job server's INVALID_ARGUMENT, forwarded

        using var lease = calls.Enter(jobId, JobCallers.Of(http).Client, _options);
        var buffer = new RelayBuffer(_options.RelayBufferMessages * streamIds.Length, _options.RelayBufferBytes, singleWriter: streamIds.Length == 1);

        using var upstreamCancel = CancellationTokenSource.CreateLinkedTokenSource(context.CancellationToken);
        var scheme = resources.StreamTls ? "https" : "http";
        using var channel = GrpcChannel.ForAddress($"{scheme}://{resources.StreamHost}:{resources.StreamPort}", new GrpcChannelOptions
        {
            HttpHandler = new SocketsHttpHandler
            {
                SslOptions = trust.ClientOptions(),
                ConnectTimeout = _options.RelayConnectTimeout,
                EnableMultipleHttp2Connections = true,
                KeepAlivePingDelay = TimeSpan.FromSeconds(30),
                KeepAlivePingTimeout = TimeSpan.FromSeconds(10),
            },
            MaxReceiveMessageSize = null,
        });
        LogAttached(jobId, streamId, resources.StreamHost, resources.StreamPort);
        audit.Attached(http, jobId, streamId);
        var token = access.StreamToken(jobId);
        var headers = token is null ? null : new Metadata { { "authorization", $"Bearer {token}" } };

        var pumps = Task.WhenAll(streamIds.Select(id => PumpAsync(channel.CreateCallInvoker(), id, headers, buffer, upstreamCancel)));
        _ = pumps.ContinueWith(_ => buffer.Complete(), TaskScheduler.Default);
        try
        {
            await foreach (var message in buffer.ReadAllAsync(context.CancellationToken))
                await responseStream.WriteAsync(message, context.CancellationToken);
            LogEnded(jobId, streamId, "OK", buffer.DroppedMessages);
        }
        catch (RpcException ended) when (ended.StatusCode == StatusCode.Unavailable)
        {
            // The port closed under us: say what happened to the job rather than "connection refused".
            var now = await grains.GetGrain<IJobGrain>(jobId).GetStatus();
            LogEnded(jobId, streamId, now?.Phase.ToWire() ?? "unknown", buffer.DroppedMessages);
            throw now is { } status && status.Phase.IsFinal() ? Ended(status) : ended;
        }
        catch (RpcException ended)
        {
            LogEnded(jobId, streamId, ended.StatusCode.ToString(), buffer.DroppedMessages);
            throw;
        }
        finally
        {
            await upstreamCancel.CancelAsync();
            await pumps.ContinueWith(_ => { }, TaskScheduler.Default); // the upstream calls end before their channel is disposed
        }
    }

    /// <summary>Reads one of the job's streams into the buffer; the first to fail ends them all with its status.</summary>
    private static async Task PumpAsync(
        CallInvoker invoker, int streamId, Metadata? headers, RelayBuffer buffer, CancellationTokenSource cancel)
    {
        try
        {
            using var call = invoker.AsyncServerStreamingCall(RelayMethods.Upstream, null,
                new CallOptions(headers, cancellationToken: cancel.Token), RelayMethods.WriteStreamId(streamId));
            while (await call.ResponseStream.MoveNext(cancel.Token))
                buffer.Write(call.ResponseStream.Current); // full: the oldest is dropped
        }
        catch (RpcException ended) when (!cancel.IsCancellationRequested)
        {
            buffer.Complete(new RpcException(ended.Status));
            await cancel.CancelAsync();
        }
        catch (Exception failure) when (!cancel.IsCancellationRequested)
        {
            buffer.Complete(new RpcException(new Status(StatusCode.Unavailable, $"stream {streamId}: {failure.Message}")));
            await cancel.CancelAsync();
        }
        catch (Exception) when (cancel.IsCancellationRequested)
        {
            // The browser left or another stream ended the call.
        }
    }

    private static RpcException Ended(JobStatus job) => job.Phase switch
    {
        JobPhase.Cancelled => new RpcException(new Status(StatusCode.Cancelled, $"job {job.JobId} was cancelled")),
        JobPhase.Expired => new RpcException(new Status(StatusCode.Cancelled, $"job {job.JobId} expired: no client read it for the idle timeout")),
        JobPhase.Failed => new RpcException(new Status(StatusCode.Aborted, job.FailureReason ?? $"job {job.JobId} failed")),
        _ => new RpcException(new Status(StatusCode.FailedPrecondition, $"job {job.JobId} is {job.Phase.ToWire()} and its stream is closed")),
    };

    [LoggerMessage(Level = LogLevel.Information, Message = "Viewer relay attached to job {JobId} stream {StreamId} at {Host}:{Port}")]
    private partial void LogAttached(string jobId, int streamId, string host, int port);

    [LoggerMessage(Level = LogLevel.Information, Message = "Viewer relay of job {JobId} stream {StreamId} ended ({Outcome}); {Dropped} messages dropped for a slow browser")]
    private partial void LogEnded(string jobId, int streamId, string outcome, long dropped);
}
