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
