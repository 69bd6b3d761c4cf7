"""Protobuf and gRPC modules generated from the contract's proto at build time (see ``focus._codegen``).

Never edited by hand: ``pandadatastream_pb2`` (messages) and ``pandadatastream_pb2_grpc`` (the
``DataStreamService`` stub) are written by ``protoc`` when the package is built or installed.
"""
