"""The ``focus`` command against the service: listings, save (.nc/.npz), and the plot checked as a picture."""
from __future__ import annotations

import json
import os
import shutil
import subprocess
from datetime import datetime
from pathlib import Path

import numpy as np

from focus.cli import AXES_RECT

from conftest import PYTHON, Service, subprocess_env


def focus_cli(service: Service, *args: str, timeout: float = 120) -> subprocess.CompletedProcess[str]:
    result = subprocess.run([PYTHON, "-m", "focus.cli", "--url", service.url, *args], capture_output=True, text=True,
                            env=subprocess_env(), timeout=timeout)
    assert result.returncode == 0, result.stdout + result.stderr
    return result


def test_live_channels_jobs_and_recordings_print_what_the_service_says(
        service: Service, sample_window: tuple[datetime, datetime]) -> None:
    assert json.loads(focus_cli(service, "live").stdout)["number_of_channels"] == 2222
    assert focus_cli(service, "channels").stdout.split() == ["1", "2222"]
    assert focus_cli(service, "jobs").stdout.splitlines()[0].split()[:3] == ["job_id", "state", "mode"]
    start, end = sample_window
    lines = focus_cli(service, "recordings", "--start", str(int(start.timestamp())), "--end", f"{end:%y%m%d%H%M%S}").stdout
    assert lines.splitlines()[0].startswith(f"{start:%Y-%m-%dT%H:%M:%SZ}")


def test_save_writes_netcdf_and_npz_that_read_back(service: Service, tmp_path: Path) -> None:
    import xarray as xr

    nc = tmp_path / "five.nc"
    focus_cli(service, "save", "--channels", "10", "14", "--lines", "40", "--out", str(nc))
    with xr.open_dataarray(nc) as data:
        assert data.dims == ("channel", "time", "frequency")
        assert data.channel.values.tolist() == [10, 11, 12, 13, 14] and data.sizes["time"] == 40
        assert data.attrs["view"] == "multichannel" and data.frequency.attrs["units"] == "Hz"
        assert data.gap.values.tolist() == [""] * 40

    npz = tmp_path / "one.npz"
    focus_cli(service, "save", "--channels", "12", "--lines", "30", "--out", str(npz))
    with np.load(npz) as saved:
        assert saved["values"].shape == (30, 257) and saved["values"].dtype == np.float32
        assert saved["dims"].tolist() == ["time", "frequency"]
        assert json.loads(str(saved["attrs"]))["view"] == "singlechannel"
        assert np.all(np.diff(saved["times_ms"]) == 10)


def test_plot_draws_the_50_hz_tone_as_the_brightest_column_and_the_hole_grey(
        service: Service, sample_window: tuple[datetime, datetime], tmp_path: Path) -> None:
    import matplotlib.image

    start, end = sample_window
    png = tmp_path / "tone.png"
    focus_cli(service, "plot", "--channels", "12", "--freq", "0", "500", "--start", start.isoformat(),
              "--end", end.isoformat(), "--out", str(png))
    picture = matplotlib.image.imread(png)[..., :3]
    height, width, _ = picture.shape
    left, bottom, w, h = AXES_RECT
    x0, x1 = int(round(left * width)) + 2, int(round((left + w) * width)) - 2
    y0, y1 = int(round((1 - bottom - h) * height)) + 2, int(round((1 - bottom) * height)) - 2
    inside = picture[y0:y1, x0:x1]
    grey = np.all(np.abs(inside - 0x80 / 255) < 0.01, axis=2)
    # the hole: rows 2..3 minutes into the window (of 5) are grey across
    grey_rows = np.flatnonzero(grey.mean(axis=1) > 0.99) / inside.shape[0]
    assert 0.38 <= grey_rows.min() <= 0.41 and 0.59 <= grey_rows.max() <= 0.61, (grey_rows.min(), grey_rows.max())
    # viridis: brightness grows with dB; the brightest column (over the rows with data) is at 50 Hz
    luminance = inside @ np.array([0.2126, 0.7152, 0.0722])
    column = int(np.argmax(luminance[~grey.all(axis=1)].mean(axis=0)))
    bin_width = 2000 / 1024
    hz = -bin_width / 2 + (column + 2 + 0.5) / (x1 - x0 + 4) * (500 + bin_width)
    assert abs(hz - 50) <= 2 * bin_width, hz
    if os.environ.get("FOCUS_PYTHON_PLOT"):  # keep it for the README (FOCUS_PYTHON_PLOT=$PWD/docs/python-plot.png)
        shutil.copyfile(png, os.environ["FOCUS_PYTHON_PLOT"])
