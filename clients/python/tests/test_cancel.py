"""Ctrl+C, SIGTERM and a plain exit cancel the jobs a script or the CLI configured."""
from __future__ import annotations

import re
import signal
import subprocess
import textwrap

from focus import Focus

from conftest import PYTHON, Service, subprocess_env, wait_for


def start(args: list[str]) -> tuple[subprocess.Popen[str], str]:
    """Starts a child and returns it with the job id it printed first (``job <id>...``)."""
    child = subprocess.Popen(args, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, env=subprocess_env())
    assert child.stdout is not None
    first = child.stdout.readline()
    assert first.startswith("job "), first + child.stderr.read() if child.stderr else first
    return child, first.split()[1].rstrip(":")


def stopped_and_cancelled(child: subprocess.Popen[str], client: Focus, job_id: str, exit_codes: set[int]) -> None:
    try:
        assert child.wait(60) in exit_codes
    finally:
        if child.poll() is None:
            child.kill()
        child.communicate()
    assert wait_for(lambda: client.job(job_id).state == "cancelled", 10, f"job {job_id} to be cancelled")


SCRIPT = textwrap.dedent("""
    import sys
    from focus import Focus
    focus = Focus(sys.argv[1])
    with focus.configure(channels=(10, 14)) as job:
        print("job", job.job_id, flush=True)
        for frame in job.lines():   # a live job: forever, until Ctrl+C
            pass
""")


def test_ctrl_c_in_a_with_block_cancels_the_job(service: Service, client: Focus) -> None:
    child, job_id = start([PYTHON, "-c", SCRIPT, service.url])
    assert wait_for(lambda: client.job(job_id).status()["connected_clients"] >= 1, 20, "the script to read")
    child.send_signal(signal.SIGINT)
    stopped_and_cancelled(child, client, job_id, {-signal.SIGINT})  # an uncaught KeyboardInterrupt exits by SIGINT


def test_a_script_that_exits_without_cancelling_has_its_job_cancelled_at_exit(service: Service, client: Focus) -> None:
    script = "import sys\nfrom focus import Focus\njob = Focus(sys.argv[1]).configure(channels=12)\nprint('job', job.job_id)\n"
    child, job_id = start([PYTHON, "-c", script, service.url])
    stopped_and_cancelled(child, client, job_id, {0})


def test_the_clis_watch_cancels_its_job_on_ctrl_c_and_on_sigterm(service: Service, client: Focus) -> None:
    for sig in (signal.SIGINT, signal.SIGTERM):
        child, job_id = start([PYTHON, "-m", "focus.cli", "--url", service.url, "watch", "--channels", "12", "--width", "60"])
        assert wait_for(lambda: client.job(job_id).status()["connected_clients"] >= 1, 20, "watch to read")
        child.send_signal(sig)
        stopped_and_cancelled(child, client, job_id, {130})


READ_SCRIPT = textwrap.dedent("""
    import sys
    from focus import Focus
    with Focus(sys.argv[1]).configure(channels=(10, 14)) as job:
        print("job", job.job_id, flush=True)
        job.read(seconds=600)       # five streams read by five threads, until Ctrl+C
""")


def test_ctrl_c_during_a_multi_stream_read_ends_its_threads_and_cancels_the_job(service: Service, client: Focus) -> None:
    child, job_id = start([PYTHON, "-c", READ_SCRIPT, service.url])
    assert wait_for(lambda: client.job(job_id).status()["connected_clients"] >= 5, 30, "five streams to be read")
    child.send_signal(signal.SIGINT)
    stopped_and_cancelled(child, client, job_id, {-signal.SIGINT})


def test_watching_someone_elses_job_leaves_it_running(service: Service, client: Focus) -> None:
    with client.configure(channels=12) as job:
        result = subprocess.run([PYTHON, "-m", "focus.cli", "--url", service.url, "watch", job.job_id, "--lines", "30",
                                 "--width", "40"], capture_output=True, text=True, env=subprocess_env(), timeout=60)
        assert result.returncode == 0, result.stderr
        assert len(result.stdout.splitlines()) >= 3  # rows of the terminal waterfall (10 lines a row)
        counts = [int(n) for n in re.findall(r"(\d+) lines \|", result.stderr)]
        assert counts and counts[-1] >= 30 and f"job {job.job_id}" in result.stderr  # the progress line
        assert job.state == "running"
