// Reading a job's stream in the browser: the contract's DataStreamService over gRPC-Web, relayed
// by the gateway under {api root}/viewer-stream/{job_id}/ (browsers cannot reach the job's own
// cleartext HTTP/2 port). The client is generated from pandadatastream.proto.
import { Code, ConnectError, createClient } from "@connectrpc/connect";
import { createGrpcWebTransport } from "@connectrpc/connect-web";
import { apiRoot } from "./api.js";
import { authHeaders } from "./credentials.js";
import { DataStreamService, type DataStream } from "./gen/pandadatastream_pb.js";

/** On the relay only: every stream of a MULTICHANNEL job on one call. */
export const AllStreams = -1;

export function streamData(jobId: string, streamId: number, signal: AbortSignal): AsyncIterable<DataStream> {
  const transport = createGrpcWebTransport({
    baseUrl: new URL(`viewer-stream/${encodeURIComponent(jobId)}`, apiRoot).href,
    useBinaryFormat: true,
    // The relay checks who is watching against the job's owner when auth is on.
    interceptors: [next => request => {
      for (const [name, value] of Object.entries(authHeaders())) request.header.set(name, value);
      return next(request);
    }],
  });
  return createClient(DataStreamService, transport).streamData({ streamId }, { signal });
}

export interface StreamEnd {
  /** "OK" (a historic window's end), or the gRPC status name: "CANCELLED", "ABORTED", ... */
  code: string;
  message: string;
}

export function streamEnd(error: unknown): StreamEnd {
  if (error === undefined) return { code: "OK", message: "" };
  const e = ConnectError.from(error);
  const name = e.code === Code.Canceled ? "CANCELLED" : Code[e.code].replace(/([a-z])([A-Z])/g, "$1_$2").toUpperCase();
  return { code: name, message: e.rawMessage };
}
