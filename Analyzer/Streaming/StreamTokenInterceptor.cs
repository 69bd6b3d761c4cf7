using Focus.Analyzer.Pipeline;
using Focus.Grains.Security;
using Grpc.Core;
using Grpc.Core.Interceptors;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.Extensions.Logging;

namespace Focus.Analyzer.Streaming;

/// <summary>
/// With auth on, a job's <c>StreamData</c> needs the job's <c>stream_token</c> as <c>authorization: Bearer …</c>:
/// UNAUTHENTICATED without it, with a forged or expired one, PERMISSION_DENIED with another job's. Checked once
/// when the call opens; a call keeps streaming past the token's expiry.
/// </summary>
internal sealed partial class StreamTokenInterceptor(StreamTokens tokens, ILogger<StreamTokenInterceptor> logger) : Interceptor
{
    public override Task ServerStreamingServerHandler<TRequest, TResponse>(
        TRequest request, IServerStreamWriter<TResponse> responseStream, ServerCallContext context,
        ServerStreamingServerMethod<TRequest, TResponse> continuation)
    {
        var jobId = context.GetHttpContext().Features.GetRequiredFeature<JobStreams>().JobId;
        var check = tokens.Check(context.RequestHeaders.GetValue("authorization"), jobId);
        if (check == StreamTokenCheck.Valid) return continuation(request, responseStream, context);

        using var scope = logger.BeginScope(new JobLogScope(jobId));
        LogRefused(context.Peer, check);
        throw check switch
        {
            StreamTokenCheck.OtherJob => new RpcException(new Status(StatusCode.PermissionDenied, $"the stream token is for another job than {jobId}")),
            StreamTokenCheck.Expired => new RpcException(new Status(StatusCode.Unauthenticated, "the stream token has expired; GET /metadata/{job_id} gives a new one")),
            StreamTokenCheck.Missing => new RpcException(new Status(StatusCode.Unauthenticated, "a stream token is required: authorization: Bearer <stream_token of /configure or /metadata>")),
            _ => new RpcException(new Status(StatusCode.Unauthenticated, "the stream token is not valid")),
        };
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Refused a stream call from {Peer}: token {Check}")]
    private partial void LogRefused(string peer, StreamTokenCheck check);
}
