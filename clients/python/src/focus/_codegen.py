"""Generates ``focus/_proto`` from the contract's proto (used by the build hook and by the tests).

The proto is copied to ``focus/_proto/pandadatastream.proto`` and compiled from there, so the generated
gRPC module imports its messages as ``focus._proto.pandadatastream_pb2`` (no edit of generated code).
Generators, in order: ``protoc`` with ``grpc_python_plugin`` (Debian: protobuf-compiler,
protobuf-compiler-grpc), else ``grpc_tools.protoc`` (pip's grpcio-tools).
"""
from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

PROTO_NAME = "pandadatastream.proto"
PACKAGE_DIR = Path("focus") / "_proto"


def find_proto(project_root: Path) -> Path:
    """The proto to compile: ``$FOCUS_PROTO``, the repository's, or the copy an sdist carries."""
    candidates = []
    if os.environ.get("FOCUS_PROTO"):
        candidates.append(Path(os.environ["FOCUS_PROTO"]))
    candidates.append(project_root.parent.parent / "Analyzer" / "Streaming" / "Protos" / PROTO_NAME)
    candidates.append(project_root / "src" / PACKAGE_DIR / PROTO_NAME)
    for candidate in candidates:
        if candidate.is_file():
            return candidate.resolve()
    raise FileNotFoundError(f"{PROTO_NAME} not found (looked at {', '.join(map(str, candidates))}); set FOCUS_PROTO")


def protoc_command(include: Path, out: Path) -> list[str]:
    """The generator's command line: system protoc with the gRPC plugin, else grpc_tools."""
    protoc = shutil.which("protoc")
    plugin = shutil.which("grpc_python_plugin")
    outputs = [f"--python_out={out}", f"--pyi_out={out}", f"--grpc_python_out={out}"]
    if protoc and plugin:
        return [protoc, f"-I{include}", f"--plugin=protoc-gen-grpc_python={plugin}", *outputs]
    try:
        import grpc_tools  # noqa: F401  (pip's grpcio-tools)
    except ImportError as missing:
        raise RuntimeError(
            "no gRPC code generator: install protoc and grpc_python_plugin "
            "(Debian: apt-get install protobuf-compiler protobuf-compiler-grpc) or grpcio-tools"
        ) from missing
    return [sys.executable, "-m", "grpc_tools.protoc", f"-I{include}", *outputs]


def generate(proto: Path, src_root: Path) -> list[Path]:
    """Compiles ``proto`` into ``src_root/focus/_proto``; returns the files written."""
    target_dir = src_root / PACKAGE_DIR
    target_dir.mkdir(parents=True, exist_ok=True)
    copy = target_dir / PROTO_NAME
    if proto.resolve() != copy.resolve():
        shutil.copyfile(proto, copy)
    command = protoc_command(src_root, src_root) + [str(PACKAGE_DIR / PROTO_NAME)]
    result = subprocess.run(command, cwd=src_root, capture_output=True, text=True)
    if result.returncode != 0:
        raise RuntimeError(f"{' '.join(command)} failed: {result.stderr.strip()}")
    stem = PROTO_NAME.removesuffix(".proto")
    written = [target_dir / f"{stem}_pb2.py", target_dir / f"{stem}_pb2.pyi", target_dir / f"{stem}_pb2_grpc.py"]
    for path in written:
        if not path.is_file():
            raise RuntimeError(f"{' '.join(command)} did not write {path}")
    return written


if __name__ == "__main__":
    root = Path(__file__).resolve().parents[2]
    for path in generate(find_proto(root), root / "src"):
        print(path)
