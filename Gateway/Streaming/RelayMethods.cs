using Google.Protobuf;
using Grpc.Core;

namespace Focus.Gateway.Streaming;

/// <summary>
/// The gRPC methods the viewer relay speaks, with messages kept as their protobuf bytes: the relay
/// forwards what a job's stream sends without decoding or re-encoding it, so the gateway needs no
/// generated copy of <c>pandadatastream.proto</c> (the silo references the analyzer's) and cannot
/// drift from it. Only <c>StreamDataRequest.stream_id</c> (field 1, int32) is read and written.
/// </summary>
internal static class RelayMethods
{
    public const string ServiceName = "pandadatastream.DataStreamService";
    public const string MethodName = "StreamData";

    /// <summary>The route the browser calls: the job's id, then the contract's service and method.</summary>
    public const string RoutePrefix = "viewer-stream/{job_id}";

    /// <summary>On the relay only: every stream of the job on one call (browsers hold few HTTP/1.1 connections).</summary>
    public const int AllStreams = -1;

    private const uint StreamIdTag = (1 << 3) | (uint)WireFormat.WireType.Varint;

    private static readonly Marshaller<byte[]> Bytes = new(
        static (message, context) => context.Complete(message),
        static context => context.PayloadAsNewBuffer());

    /// <summary><c>StreamData</c> on a job's own port (CONTRACT §2).</summary>
    public static readonly Method<byte[], byte[]> Upstream =
        new(MethodType.ServerStreaming, ServiceName, MethodName, Bytes, Bytes);

    /// <summary>The same method under <c>/viewer-stream/{job_id}/</c>, served as gRPC-Web by the gateway.</summary>
    public static readonly Method<byte[], byte[]> Relay =
        new(MethodType.ServerStreaming, $"{RoutePrefix}/{ServiceName}", MethodName, Bytes, Bytes);

    public static int ReadStreamId(byte[] request)
    {
        var input = new CodedInputStream(request);
        var streamId = 0;
        uint tag;
        while ((tag = input.ReadTag()) != 0)
        {
            if (tag == StreamIdTag) streamId = input.ReadInt32();
            else input.SkipLastField();
        }
        return streamId;
    }

    public static byte[] WriteStreamId(int streamId)
    {
        if (streamId == 0) return []; // proto3: the default is not written
        var buffer = new byte[1 + CodedOutputStream.ComputeInt32Size(streamId)];
        var output = new CodedOutputStream(buffer);
        output.WriteTag(StreamIdTag);
        output.WriteInt32(streamId);
        output.Flush();
        return buffer;
    }
}
