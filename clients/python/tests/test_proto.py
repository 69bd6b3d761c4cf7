"""The generated protobuf/gRPC modules match the contract's proto (Analyzer/Streaming/Protos/pandadatastream.proto)."""
from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

from google.protobuf import descriptor_pb2

from focus import _codegen
from focus._proto import pandadatastream_pb2 as pb
from focus._proto import pandadatastream_pb2_grpc as pb_grpc

from conftest import REPO

PROTO = REPO / "Analyzer" / "Streaming" / "Protos" / "pandadatastream.proto"


def test_the_message_descriptors_equal_those_protoc_reads_from_the_proto(tmp_path: Path) -> None:
    include = tmp_path / "include"
    (include / "focus" / "_proto").mkdir(parents=True)
    shutil.copyfile(PROTO, include / "focus" / "_proto" / "pandadatastream.proto")
    out = tmp_path / "set.pb"
    subprocess.run(["protoc", f"-I{include}", f"--descriptor_set_out={out}", "focus/_proto/pandadatastream.proto"], check=True)
    expected = descriptor_pb2.FileDescriptorSet.FromString(out.read_bytes()).file[0]
    for message in expected.message_type:  # protoc fills json_name in descriptor sets, not in generated code
        for field in message.field:
            field.ClearField("json_name")
    actual = descriptor_pb2.FileDescriptorProto()
    pb.DESCRIPTOR.CopyToProto(actual)
    assert actual == expected
    assert [f.name for f in pb.DataStream.DESCRIPTOR.fields] == [
        "start_channel", "end_channel", "timestamp_in_milis", "row_index", "data_shape_x", "data_shape_y",
        "data_shape_z", "global_maximum", "global_minimum", "main_data", "job_id"]


def test_the_installed_modules_are_what_the_generator_writes_from_todays_proto(tmp_path: Path) -> None:
    written = _codegen.generate(PROTO, tmp_path)
    installed = Path(pb.__file__).parent
    for fresh in written:
        assert (installed / fresh.name).read_text() == fresh.read_text(), f"{fresh.name} is stale: rebuild the package"
    assert (installed / "pandadatastream.proto").read_bytes() == PROTO.read_bytes()


def test_the_grpc_stub_calls_the_contracts_streaming_method() -> None:
    service = pb.DESCRIPTOR.services_by_name["DataStreamService"]
    method = service.methods_by_name["StreamData"]
    assert method.server_streaming and not method.client_streaming
    assert method.input_type.full_name == "pandadatastream.StreamDataRequest"
    assert method.output_type.full_name == "pandadatastream.DataStream"

    class Recorder:
        def __init__(self) -> None:
            self.paths: list[str] = []

        def unary_stream(self, path: str, request_serializer, response_deserializer):  # type: ignore[no-untyped-def]
            self.paths.append(path)
            assert response_deserializer == pb.DataStream.FromString
            return None

    channel = Recorder()
    pb_grpc.DataStreamServiceStub(channel)
    assert channel.paths == ["/pandadatastream.DataStreamService/StreamData"]
