"""Hatchling build hook: generates focus/_proto from the contract's proto before the wheel is built."""
from __future__ import annotations

import importlib.util
from pathlib import Path
from typing import Any

from hatchling.builders.hooks.plugin.interface import BuildHookInterface


class ProtoBuildHook(BuildHookInterface):
    """Runs ``focus._codegen.generate`` (protoc + the Python gRPC plugin) into ``src/``."""

    PLUGIN_NAME = "custom"

    def initialize(self, version: str, build_data: dict[str, Any]) -> None:
        root = Path(self.root)
        spec = importlib.util.spec_from_file_location("focus_codegen", root / "src" / "focus" / "_codegen.py")
        assert spec is not None and spec.loader is not None
        codegen = importlib.util.module_from_spec(spec)
        spec.loader.exec_module(codegen)
        written = codegen.generate(codegen.find_proto(root), root / "src")
        self.app.display_info(f"focus: generated {', '.join(p.name for p in written)}")
