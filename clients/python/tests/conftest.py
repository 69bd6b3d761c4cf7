"""Fixtures: the real Focus service (the built silo) on free loopback ports, started once per session
(``running_service`` starts another with extra settings, as test_quota.py does).

The silo is ``Silo/bin/Release/net10.0/Focus.Silo.dll`` (``$FOCUS_SILO_DLL`` overrides; built with
``dotnet build Silo -c Release`` when missing), run with ``dotnet`` on its own REST, Orleans and stream
ports, stopped by PID at the end. Its embedded defaults give the simulated fiber (2222 channels at
2000 Hz, a 50 Hz tone on channels 10..14) and today's sample recording (two minutes, a one-minute
hole, two minutes, channels 1..16).
"""
from __future__ import annotations

import contextlib
import os
import signal
import socket
import subprocess
import sys
import tempfile
import time
from datetime import datetime, timedelta, timezone
from pathlib import Path
from typing import Iterator

import pytest
import requests

try:
    import focus
except ImportError:  # a checkout without `pip install`: generate the proto modules into src/ and use it
    _src = Path(__file__).resolve().parents[1] / "src"
    sys.path.insert(0, str(_src))
    from focus import _codegen

    _codegen.generate(_codegen.find_proto(_src.parent), _src)
    import focus

REPO = Path(__file__).resolve().parents[3]
CLIENT = REPO / "clients" / "python"
MAX_CONCURRENT = 4


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def free_block(size: int) -> tuple[int, int]:
    """A block of ``size`` consecutive ports nobody listens on now (probed)."""
    for first in range(42000, 60000 - size, size):
        ok = True
        for port in range(first, first + size):
            with socket.socket() as s:
                try:
                    s.bind(("127.0.0.1", port))
                except OSError:
                    ok = False
                    break
        if ok:
            return first, first + size - 1
    raise RuntimeError("no free block of stream ports")


def wait_for(condition, deadline_s: float, what: str, interval: float = 0.1):  # type: ignore[no-untyped-def]
    """Polls ``condition()`` until it returns a truthy value or the deadline passes."""
    deadline = time.monotonic() + deadline_s
    while True:
        value = condition()
        if value:
            return value
        if time.monotonic() > deadline:
            raise AssertionError(f"timed out after {deadline_s} s waiting for {what}")
        time.sleep(interval)


def silo_dll() -> Path:
    dll = Path(os.environ.get("FOCUS_SILO_DLL", REPO / "Silo" / "bin" / "Release" / "net10.0" / "Focus.Silo.dll"))
    if not dll.is_file():
        subprocess.run(["dotnet", "build", str(REPO / "Silo"), "-c", "Release", "-nologo", "-v", "q"], check=True)
    return dll


class Service:
    """A running silo: ``url`` of its gateway, ``pid``, its log file."""

    def __init__(self, url: str, process: subprocess.Popen[bytes], log: Path) -> None:
        self.url = url
        self.process = process
        self.log = log

    def log_tail(self) -> str:
        return self.log.read_text(errors="replace")[-4000:]


@contextlib.contextmanager
def running_service(name: str, *extra: str) -> Iterator[Service]:
    """Starts the silo on free loopback ports (its own cluster id ``name``), waits until it serves
    ``/channels``, yields it, and stops it by PID (its process group) on exit. ``extra`` are more
    ``--Key=value`` arguments; later ones override the defaults here."""
    rest, silo_port, gateway_port = free_port(), free_port(), free_port()
    first, last = free_block(40)
    work = Path(tempfile.mkdtemp(prefix=f"focus-{name}-"))
    log = work / "silo.log"
    args = [
        "dotnet", str(silo_dll()),
        f"--Urls=http://127.0.0.1:{rest}",
        f"--Focus:Cluster:SiloPort={silo_port}",
        f"--Focus:Cluster:GatewayPort={gateway_port}",
        f"--Focus:Cluster:ClusterId={name}-{os.getpid()}",
        f"--Focus:Streams:PortRange={first}-{last}",
        "--Focus:Streams:BindAddress=127.0.0.1",
        f"--Focus:Jobs:MaxConcurrent={MAX_CONCURRENT}",
        "--Focus:Jobs:IdleTimeout=00:00:30",
        "--Logging:LogLevel:Default=Warning",
        *extra,
    ]
    with open(log, "wb") as out:
        process = subprocess.Popen(args, stdout=out, stderr=subprocess.STDOUT, cwd=work, start_new_session=True)
    url = f"http://127.0.0.1:{rest}"
    running = Service(url, process, log)
    try:
        def ready() -> bool:
            if process.poll() is not None:
                raise AssertionError(f"the silo exited with {process.returncode}:\n{running.log_tail()}")
            try:
                return requests.get(f"{url}/channels", timeout=2).status_code == 200
            except requests.RequestException:
                return False

        wait_for(ready, 120, "the silo to announce its fiber", 0.25)
        yield running
    finally:
        if process.poll() is None:
            os.killpg(process.pid, signal.SIGTERM)  # its own session: the silo and nothing else
            try:
                process.wait(30)
            except subprocess.TimeoutExpired:
                os.killpg(process.pid, signal.SIGKILL)
                process.wait(10)
        for path in work.iterdir():
            path.unlink()
        work.rmdir()


@pytest.fixture(scope="session")
def service() -> Iterator[Service]:
    with running_service("pytest") as running:
        yield running


@pytest.fixture
def client(service: Service) -> Iterator[focus.Focus]:
    """A client of the service; every job it leaves running is cancelled after the test."""
    c = focus.Focus(service.url, timeout=30, retry_deadline=60)
    yield c
    for row in c.jobs():
        if row["state"] in ("configured", "starting", "running", "completed"):
            try:
                c.request("DELETE", f"/job/{row['job_id']}", retry=False)
            except focus.FocusError:
                pass
    c.close()


@pytest.fixture(scope="session")
def sample_window(service: Service) -> tuple[datetime, datetime]:
    """Today's sample recording: (start, end) UTC, found through /recordings_in_time_range."""
    now = datetime.now(timezone.utc) - timedelta(minutes=10)
    anchor = datetime(now.year, now.month, now.day, tzinfo=timezone.utc)
    c = focus.Focus(service.url)
    spans = wait_for(lambda: c.recordings(anchor, anchor + timedelta(minutes=10)), 180, "the sample recording", 0.5)
    assert spans[0][0] == anchor
    end = spans[-1][1]
    assert end is not None
    return anchor, end


def subprocess_env() -> dict[str, str]:
    """The environment for a child Python that imports this same ``focus``."""
    env = dict(os.environ)
    package_root = str(Path(focus.__file__).resolve().parent.parent)
    env["PYTHONPATH"] = package_root + (os.pathsep + env["PYTHONPATH"] if env.get("PYTHONPATH") else "")
    env["PYTHONUNBUFFERED"] = "1"
    return env


PYTHON = sys.executable
