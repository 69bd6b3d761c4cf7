"""The package is typed (py.typed): mypy --strict (pyproject's [tool.mypy]) finds nothing in it."""
from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import focus

from conftest import CLIENT


def test_the_package_ships_py_typed_and_passes_mypy_strict() -> None:
    package = Path(focus.__file__).parent
    assert (package / "py.typed").is_file()
    result = subprocess.run([sys.executable, "-m", "mypy", "--config-file", str(CLIENT / "pyproject.toml"),
                             "--cache-dir", "/dev/null", str(CLIENT / "src" / "focus")],
                            capture_output=True, text=True, cwd=CLIENT)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "Success: no issues found" in result.stdout


def test_every_public_name_has_a_docstring() -> None:
    import importlib
    import inspect

    missing = []
    for name in ("focus", "focus.client", "focus.job", "focus.wire", "focus.frames", "focus.errors", "focus.aio", "focus.cli", "focus._codegen"):
        module = importlib.import_module(name)
        if not module.__doc__:
            missing.append(name)
        for attr, obj in vars(module).items():
            if attr.startswith("_") or getattr(obj, "__module__", None) != name:
                continue
            if (inspect.isclass(obj) or inspect.isfunction(obj)) and not obj.__doc__:
                missing.append(f"{name}.{attr}")
            if inspect.isclass(obj):
                for member, value in vars(obj).items():
                    function = value.fget if isinstance(value, property) else value
                    if not member.startswith("_") and inspect.isfunction(function) and not function.__doc__:
                        missing.append(f"{name}.{attr}.{member}")
    assert missing == []
