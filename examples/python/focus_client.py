#!/usr/bin/env python3
"""A short Focus client: configure a live investigation, read lines over gRPC, stop it.

    protoc -I Analyzer/Streaming/Protos --python_out=examples/python pandadatastream.proto
    python3 examples/python/focus_client.py --url http://127.0.0.1:5000 --channels 10 14 --lines 20

Needs `requests`, `grpcio` and `protobuf` (pip, or Debian's python3-requests python3-grpcio
python3-protobuf). Prints one row per line: row index, time, and the strongest frequency.
For analysis (numpy/xarray, gaps, retries, a CLI) use the `focus` package in clients/python instead.
"""
import argparse
import struct
import sys
from datetime import datetime, timezone

import grpc
import requests

import pandadatastream_pb2 as pb

STREAM_DATA = "/pandadatastream.DataStreamService/StreamData"


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--url", default="http://127.0.0.1:5000", help="the REST gateway")
    parser.add_argument("--channels", nargs=2, type=int, default=[10, 14], metavar=("MIN", "MAX"))
    parser.add_argument("--stream", type=int, default=0, help="stream_id to read (0 = first channel)")
    parser.add_argument("--lines", type=int, default=20, help="lines to read before stopping")
    parser.add_argument("--api-key", help="Focus:Auth:Mode=apikey: the key (sent as X-Api-Key)")
    parser.add_argument("--token", help="Focus:Auth:Mode=jwt: a bearer token")
    parser.add_argument("--ca", help="PEM of the CA that signed the service's certificates (https and stream_tls)")
    args = parser.parse_args()
    headers = {"X-Api-Key": args.api_key} if args.api_key else {"Authorization": f"Bearer {args.token}"} if args.token else {}
    verify = args.ca or True

    body = {
        "view_type": 0,  # MULTICHANNEL
        "displayInfo": {"height": 1000},
        "channels": {"min": args.channels[0], "max": args.channels[1]},
        "nfftSelection": 1024,
        "displayTimeAxisDuration": 10,
        "frequencyRange": {"min": 0, "max": 500},
    }
    response = requests.post(f"{args.url}/configure", json=body, headers=headers, verify=verify, timeout=30)
    if response.status_code != 200:
        print(f"/configure answered {response.status_code}: {response.json().get('error')}", file=sys.stderr)
        return 1
    job = response.json()
    frequencies = job["frequencies_list"]
    print(f"job {job['job_id']}: {job['stream_amount']} streams at {job['stream_url']}:{job['stream_port']}, "
          f"{job['frequencies_amount']} bins, a line every {job['lines_dt']} s")

    try:
        target = f"{job['stream_url']}:{job['stream_port']}"
        if job.get("stream_tls"):
            root = open(args.ca, "rb").read() if args.ca else None
            channel = grpc.secure_channel(target, grpc.ssl_channel_credentials(root_certificates=root))
        else:
            channel = grpc.insecure_channel(target)
        # With auth on, the job's port wants the job's stream_token.
        metadata = [("authorization", f"Bearer {job['stream_token']}")] if job.get("stream_token") else None
        with channel:
            stream_data = channel.unary_stream(
                STREAM_DATA,
                request_serializer=pb.StreamDataRequest.SerializeToString,
                response_deserializer=pb.DataStream.FromString,
            )
            read = 0
            for message in stream_data(pb.StreamDataRequest(stream_id=args.stream), timeout=60, metadata=metadata):
                for row, millis, data in zip(message.row_index, message.timestamp_in_milis, message.main_data):
                    values = struct.unpack(f"<{message.data_shape_x}f", data)
                    peak = max(range(len(values)), key=values.__getitem__)
                    when = datetime.fromtimestamp(millis / 1000, timezone.utc).strftime("%H:%M:%S.%f")[:-3]
                    print(f"row {row:6d}  {when}  channel {message.start_channel}  "
                          f"peak {frequencies[peak]:8.2f} Hz  {values[peak]:6.1f} dB")
                    read += 1
                if read >= args.lines:
                    break
    finally:
        final = requests.delete(f"{args.url}/job/{job['job_id']}", headers=headers, verify=verify, timeout=30).json()
        print(f"job {job['job_id']} {final['state']}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
