"""examples/python/sample_recording.py runs against the service and finds the 50 Hz tone."""
from __future__ import annotations

import subprocess
from datetime import datetime
from pathlib import Path

from conftest import PYTHON, REPO, Service, subprocess_env


def test_the_sample_recording_example_finds_the_50_hz_tone(
        service: Service, sample_window: tuple[datetime, datetime], tmp_path: Path) -> None:
    out = tmp_path / "tone.png"
    result = subprocess.run([PYTHON, str(REPO / "examples" / "python" / "sample_recording.py"), "--url", service.url,
                             "--out", str(out)], capture_output=True, text=True, env=subprocess_env(), timeout=180)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "peak 50.78 Hz" in result.stdout
    assert "6051 of them in the hole" in result.stdout
    assert out.stat().st_size > 10_000
