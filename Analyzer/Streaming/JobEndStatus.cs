using Focus.Analyzer.Pipeline;
using Grpc.Core;

namespace Focus.Analyzer.Streaming;

/// <summary>The gRPC status a call ends with when its job ends (CONTRACT §2).</summary>
public static class JobEndStatus
{
    /// <summary>Completed → OK, Cancelled and Expired → CANCELLED, Failed → ABORTED with the reason.</summary>
    public static Status ToStatus(this JobEnd end) => end.Kind switch
    {
        JobEndKind.Completed => Status.DefaultSuccess,
        JobEndKind.Cancelled or JobEndKind.Expired => new Status(StatusCode.Cancelled, end.Reason),
        _ => new Status(StatusCode.Aborted, end.Reason),
    };
}
